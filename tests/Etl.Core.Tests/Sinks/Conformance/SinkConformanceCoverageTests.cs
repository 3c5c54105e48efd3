// Guards the one-line registration: a sink added to Components without a conformance suite fails here.
namespace Etl.Core.Tests.Sinks.Conformance;

public sealed class SinkConformanceCoverageTests
{
    [Fact]
    public void Components_EverySink_RunsTheConformanceSuite()
    {
        var suites = typeof(SinkConformanceCoverageTests).Assembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .Select(CaseOf)
            .OfType<ISinkCase>()
            .Select(c => c.Type)
            .Order(StringComparer.Ordinal);
        var sinks = Components.OfKind(ComponentKind.Sink)
            .Select(d => d.Type)
            .Order(StringComparer.Ordinal);

        Assert.Equal(sinks, suites);
    }

    private static ISinkCase? CaseOf(Type suite)
    {
        for (var t = suite.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(SinkConformance<>))
            {
                return (ISinkCase?)Activator.CreateInstance(t.GetGenericArguments()[0]);
            }
        }
        return null;
    }
}
