// Renames columns; the others pass unchanged.
using System.ComponentModel;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record RenameTransformSpec : TransformSpec
{
    [Description("Current name → new name.")]
    public required Dictionary<string, string> Columns { get; init; }
}

public sealed class RenameTransform(RenameTransformSpec spec) : ITransform
{
    private readonly KeyValuePair<string, string>[] _renames = [.. spec.Columns];

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<RenameTransformSpec>(
        "rename", "Renames columns.", (s, _) => new RenameTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        foreach (var (from, to) in _renames)
        {
            record.Rename(from, to);
        }
        output.Add(record);
    }
}
