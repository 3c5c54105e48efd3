// A change of a batch's columns by name (rename, drop), worked out once per shape and applied without copying values.
using System.Runtime.CompilerServices;
using Etl.Columns;

namespace Etl.Transforms;

/// <summary>The output names of a shape and, for each, the input column it takes.</summary>
internal sealed record ColumnShape(string[] Names, int[] Sources)
{
    /// <summary>Whether the shape is the input's own (nothing to change).</summary>
    public bool Unchanged { get; init; }

    /// <summary>The batch under this shape: the same column objects, rows and origins.</summary>
    public ColumnBatch Apply(ColumnBatch batch)
    {
        if (Unchanged)
        {
            return batch;
        }
        var columns = new Column[Sources.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = batch.Columns[Sources[c]];
        }
        return batch.WithColumns(Names, columns);
    }

    /// <summary>The shape that <paramref name="edit"/> (applied to the names and their column numbers, as the record
    /// path applies it to a record's fields) makes of <paramref name="names"/>.</summary>
    public static ColumnShape Of(string[] names, Action<List<string>, List<int>> edit)
    {
        var current = new List<string>(names);
        var sources = Enumerable.Range(0, names.Length).ToList();
        edit(current, sources);
        var unchanged = current.SequenceEqual(names, StringComparer.Ordinal) && sources.Select((s, i) => s == i).All(same => same);
        return new ColumnShape(unchanged ? names : [.. current], [.. sources]) { Unchanged = unchanged };
    }
}

/// <summary>Shapes per input name array (batches of one shape share theirs), so the output batches share one name
/// array too; safe across threads, and forgotten with the shape.</summary>
internal sealed class ColumnShapes(Action<List<string>, List<int>> edit)
{
    private readonly ConditionalWeakTable<string[], ColumnShape> _shapes = [];
    private readonly ConditionalWeakTable<string[], ColumnShape>.CreateValueCallback _create = names => ColumnShape.Of(names, edit);

    public ColumnShape For(string[] names) => _shapes.GetValue(names, _create);
}
