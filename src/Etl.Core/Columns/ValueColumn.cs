// A column of boxed values of any type: nested records and lists, or fields whose type varies from row to row.
using Etl.Records;

namespace Etl.Columns;

public sealed class ValueColumn(object?[] values, int length) : Column(length)
{
    public object?[] Values { get; } = values;

    public override ColumnKind? Kind => null;

    public override bool IsNull(int row) => Values[row] is null;

    public override bool HasNulls => Array.IndexOf(Values, null, 0, Length) >= 0;

    public override object? GetValue(int row) => Values[row];

    public override Column Gather(ReadOnlySpan<int> rows)
    {
        var values = new object?[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            values[i] = Values[rows[i]];
        }
        return new ValueColumn(values, rows.Length);
    }

    public override Column Slice(int start, int count) => new ValueColumn(Values.AsSpan(start, count).ToArray(), count);

    public override long EstimatedBytes => (long)Length * 64;
}
