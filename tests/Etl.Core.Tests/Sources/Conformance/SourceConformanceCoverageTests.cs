// Guards the one-line registration: a source added to Components without a conformance suite fails here.
namespace Etl.Core.Tests.Sources.Conformance;

public sealed class SourceConformanceCoverageTests
{
    [Fact]
    public void Components_EveryFileSource_RunsTheConformanceSuite()
    {
        var suites = typeof(SourceConformanceCoverageTests).Assembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .Select(CaseOf)
            .OfType<ISourceCase>()
            .Select(c => c.Type)
            .Order(StringComparer.Ordinal);
        // The HTTP source reads from a server, not from files; Sources/Http holds its tests.
        var sources = Components.OfKind(ComponentKind.Source)
            .Select(d => d.Type)
            .Where(t => t != "http")
            .Order(StringComparer.Ordinal);

        Assert.Equal(sources, suites);
    }

    private static ISourceCase? CaseOf(Type suite)
    {
        for (var t = suite.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(SourceConformance<>))
            {
                return (ISourceCase?)Activator.CreateInstance(t.GetGenericArguments()[0]);
            }
        }
        return null;
    }
}
