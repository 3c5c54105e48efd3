// A column of text values: a null string is a null row.
using Etl.Records;

namespace Etl.Columns;

public sealed class StringColumn(string?[] values, int length) : Column(length)
{
    public string?[] Values { get; } = values;

    public override ColumnKind? Kind => ColumnKind.String;

    public override bool IsNull(int row) => Values[row] is null;

    public override bool HasNulls => Array.IndexOf(Values, null, 0, Length) >= 0;

    public override object? GetValue(int row) => Values[row];

    public string? Get(int row) => Values[row];

    public override Column Gather(ReadOnlySpan<int> rows)
    {
        var values = new string?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = Values[rows[i]];
        }
        return new StringColumn(values, rows.Length);
    }

    public override Column Slice(int start, int count) => new StringColumn(Values.AsSpan(start, count).ToArray(), count);

    public override long EstimatedBytes
    {
        get
        {
            long bytes = (long)Length * 8;
            for (var i = 0; i < Length; i++)
            {
                bytes += Values[i] is { } s ? 24 + (2L * s.Length) : 0;
            }
            return bytes;
        }
    }
}
