// The rows a part writer writes at once (a Parquet row group): ranges of conformed batches, never concatenated first.
using Etl.Columns;

namespace Etl.Sinks;

/// <summary>Rows [<paramref name="Start"/>, <paramref name="Start"/> + <paramref name="Count"/>) of a conformed batch.</summary>
public readonly record struct BatchRange(ColumnBatch Batch, int Start, int Count);

/// <summary>
/// Consecutive ranges of conformed batches of one schema, written as one: a Parquet writer copies each column once into
/// its buffer (or passes the array itself when one batch starts at row 0), a CSV writer goes through the ranges in order.
/// </summary>
public sealed class RowGroup
{
    public RowGroup(IReadOnlyList<BatchRange> parts)
    {
        Parts = parts;
        RowCount = parts.Sum(p => p.Count);
    }

    public IReadOnlyList<BatchRange> Parts { get; }

    public int RowCount { get; }

    /// <summary>Every row of <paramref name="batch"/>.</summary>
    public static RowGroup Of(ColumnBatch batch) => new([new BatchRange(batch, 0, batch.RowCount)]);

    /// <summary>Rows [start, start + count) of this group, sharing its batches.</summary>
    public RowGroup Slice(int start, int count)
    {
        if (start == 0 && count == RowCount)
        {
            return this;
        }
        var parts = new List<BatchRange>();
        var skip = start;
        foreach (var part in Parts)
        {
            if (count == 0)
            {
                break;
            }
            if (skip >= part.Count)
            {
                skip -= part.Count;
                continue;
            }
            var take = Math.Min(count, part.Count - skip);
            parts.Add(new BatchRange(part.Batch, part.Start + skip, take));
            (skip, count) = (0, count - take);
        }
        return new RowGroup(parts);
    }
}
