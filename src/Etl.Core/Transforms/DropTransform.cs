// Removes the named columns.
using System.ComponentModel;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record DropTransformSpec : TransformSpec
{
    [Description("Names of the columns to remove.")]
    public required IReadOnlyList<string> Columns { get; init; }
}

public sealed class DropTransform(DropTransformSpec spec) : ITransform
{
    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<DropTransformSpec>(
        "drop", "Removes columns.", (s, _) => new DropTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        foreach (var name in spec.Columns)
        {
            record.Remove(name);
        }
        output.Add(record);
    }
}
