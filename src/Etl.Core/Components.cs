// The explicit registry of every component: a missing line here breaks a test, not a user's run.
using Etl.Sinks;
using Etl.Sources;
using Etl.Sources.Http;
using Etl.Transforms;

namespace Etl;

public static class Components
{
    public static IReadOnlyList<ComponentDescriptor> All { get; } =
    [
        CsvSource.Descriptor,
        JsonLinesSource.Descriptor,
        JsonSource.Descriptor,
        ParquetSource.Descriptor,
        HttpSource.Descriptor,
        SelectTransform.Descriptor,
        RenameTransform.Descriptor,
        DropTransform.Descriptor,
        CastTransform.Descriptor,
        FilterTransform.Descriptor,
        DeriveTransform.Descriptor,
        ExplodeTransform.Descriptor,
        ParquetSink.Descriptor,
        CsvSink.Descriptor,
    ];

    public static ComponentDescriptor For(Type specType) =>
        All.FirstOrDefault(d => d.SpecType == specType)
        ?? throw new InvalidOperationException($"no component is registered for {specType.Name}");

    public static IEnumerable<ComponentDescriptor> OfKind(ComponentKind kind) => All.Where(d => d.Kind == kind);
}
