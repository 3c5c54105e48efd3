// Renames columns; the others pass unchanged.
using System.ComponentModel;
using Etl.Columns;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record RenameTransformSpec : TransformSpec
{
    [Description("Current name → new name.")]
    public required Dictionary<string, string> Columns { get; init; }
}

public sealed class RenameTransform : IBatchTransform
{
    private readonly KeyValuePair<string, string>[] _renames;
    private readonly ColumnShapes _shapes;

    public RenameTransform(RenameTransformSpec spec)
    {
        _renames = [.. spec.Columns];
        _shapes = new ColumnShapes(Rename);
    }

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

    /// <summary>The same columns under their new names.</summary>
    public BatchOutput? TryApply(ColumnBatch batch) => new BatchOutput(_shapes.For(batch.Names).Apply(batch));

    // Record.Rename on names: renaming onto another existing name removes that column first.
    private void Rename(List<string> names, List<int> sources)
    {
        foreach (var (from, to) in _renames)
        {
            var i = names.IndexOf(from);
            if (i < 0)
            {
                continue;
            }
            var j = names.IndexOf(to);
            if (j >= 0 && j != i)
            {
                names.RemoveAt(j);
                sources.RemoveAt(j);
                i = names.IndexOf(from);
            }
            names[i] = to;
        }
    }
}
