// The values of a Parquet row group that the engine cannot hold (a timestamp beyond the years 1–9999): each fails its
// row, which becomes a dead letter naming the column and the value, while the rest of the row group is read.
namespace Etl.Sources;

/// <summary>A stored value that does not convert: its text (as the file means it) and why.</summary>
internal sealed record ParquetBadValue(string Text, string Problem);

internal sealed class ParquetValueErrors
{
    private readonly SortedDictionary<int, (string Column, string Reason, string Value)> _byRow = [];

    public bool Any => _byRow.Count > 0;

    /// <summary>Notes a bad value at <paramref name="row"/> (0-based in the row group) of top-level
    /// <paramref name="column"/>, at <paramref name="path"/> in it (the column itself when flat); a row's first is kept.</summary>
    public void Add(int row, string column, string path, ParquetBadValue value) =>
        _byRow.TryAdd(row, (column, $"column '{path}': {value.Problem}", value.Text));

    /// <summary>The failed rows in order, with the column, reason and value each failed on.</summary>
    public IEnumerable<(int Row, string Column, string Reason, string Value)> Rows =>
        _byRow.Select(kv => (kv.Key, kv.Value.Column, kv.Value.Reason, kv.Value.Value));

    public bool Failed(int row) => _byRow.ContainsKey(row);
}
