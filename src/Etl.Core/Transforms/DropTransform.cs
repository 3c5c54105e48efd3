// Removes the named columns.
using System.ComponentModel;
using Etl.Columns;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record DropTransformSpec : TransformSpec
{
    [Description("Names of the columns to remove.")]
    public required IReadOnlyList<string> Columns { get; init; }
}

public sealed class DropTransform : IBatchTransform
{
    private readonly DropTransformSpec _spec;
    private readonly ColumnShapes _shapes;

    public DropTransform(DropTransformSpec spec)
    {
        _spec = spec;
        _shapes = new ColumnShapes(Drop);
    }

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<DropTransformSpec>(
        "drop", "Removes columns.", (s, _) => new DropTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        foreach (var name in _spec.Columns)
        {
            record.Remove(name);
        }
        output.Add(record);
    }

    /// <summary>The batch without the named columns; a name it lacks is ignored, as by the record path.</summary>
    public BatchOutput? TryApply(ColumnBatch batch) => new BatchOutput(_shapes.For(batch.Names).Apply(batch));

    private void Drop(List<string> names, List<int> sources)
    {
        foreach (var name in _spec.Columns)
        {
            var i = names.IndexOf(name);
            if (i >= 0)
            {
                names.RemoveAt(i);
                sources.RemoveAt(i);
            }
        }
    }
}
