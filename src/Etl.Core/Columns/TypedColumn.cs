// A column of unboxed values of one value type (long, int, double, bool, decimal, DateOnly, DateTime in UTC).
using Etl.Records;

namespace Etl.Columns;

/// <summary>Values of one value type. <see cref="Values"/> holds default at null rows; <see cref="Nulls"/> is null when
/// no row is null. Both arrays may be longer than <see cref="Column.Length"/>.</summary>
public sealed class TypedColumn<T>(ColumnKind kind, T[] values, bool[]? nulls, int length) : Column(length)
    where T : struct
{
    public T[] Values { get; } = values;

    /// <summary>True at null rows; null when there are none.</summary>
    public bool[]? Nulls { get; } = nulls;

    public override ColumnKind? Kind => kind;

    public override bool IsNull(int row) => Nulls is { } n && n[row];

    public override bool HasNulls => Nulls is not null;

    public override object? GetValue(int row) => IsNull(row) ? null : Values[row];

    /// <summary>The value, or null; no boxing.</summary>
    public T? Get(int row) => IsNull(row) ? null : Values[row];

    public override Column Gather(ReadOnlySpan<int> rows)
    {
        var values = new T[rows.Length];
        bool[]? nulls = null;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            values[i] = Values[r];
            if (Nulls is { } n && n[r])
            {
                (nulls ??= new bool[rows.Length])[i] = true;
            }
        }
        return new TypedColumn<T>(kind, values, nulls, rows.Length);
    }

    public override Column Slice(int start, int count)
    {
        var values = Values.AsSpan(start, count).ToArray();
        var nulls = Nulls is { } n && n.AsSpan(start, count).Contains(true) ? n.AsSpan(start, count).ToArray() : null;
        return new TypedColumn<T>(kind, values, nulls, count);
    }

    public override long EstimatedBytes => (long)Length * (System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + 1);
}
