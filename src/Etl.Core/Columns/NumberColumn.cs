// A column of JSON numbers written now as integers, now with a fraction (prices: 237, 440.75): unboxed, row by row as read.
using Etl.Records;

namespace Etl.Columns;

/// <summary>
/// Numbers of two kinds in one column: a row is a long (<see cref="Longs"/>) or, where <see cref="IsDouble"/> says so, a
/// double (<see cref="Doubles"/>). <see cref="Column.GetValue"/> gives each as the record path holds it, so the column
/// behaves as a <see cref="ValueColumn"/> of longs and doubles would; it only spares a box per row, and casts to a
/// number type read it unboxed. Arrays may be longer than <see cref="Column.Length"/>.
/// </summary>
public sealed class NumberColumn(long[] longs, double[] doubles, bool[] isDouble, bool[]? nulls, int length) : Column(length)
{
    public long[] Longs { get; } = longs;

    public double[] Doubles { get; } = doubles;

    /// <summary>True at rows whose value is the double; false at longs and nulls.</summary>
    public bool[] IsDouble { get; } = isDouble;

    /// <summary>True at null rows; null when there are none.</summary>
    public bool[]? Nulls { get; } = nulls;

    // Mixed kinds: conversions go value by value, as for boxed values.
    public override ColumnKind? Kind => null;

    public override bool IsNull(int row) => Nulls is { } n && n[row];

    public override bool HasNulls => Nulls is { } n && n.AsSpan(0, Length).Contains(true);

    public override object? GetValue(int row) => IsNull(row) ? null : IsDouble[row] ? Doubles[row] : (object)Longs[row];

    public override Column Gather(ReadOnlySpan<int> rows)
    {
        var (longs, doubles, isDouble) = (new long[rows.Length], new double[rows.Length], new bool[rows.Length]);
        bool[]? nulls = null;
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            (longs[i], doubles[i], isDouble[i]) = (Longs[r], Doubles[r], IsDouble[r]);
            if (IsNull(r))
            {
                (nulls ??= new bool[rows.Length])[i] = true;
            }
        }
        return new NumberColumn(longs, doubles, isDouble, nulls, rows.Length);
    }

    public override Column Slice(int start, int count)
    {
        var nulls = Nulls is { } n && n.AsSpan(start, count).Contains(true) ? n.AsSpan(start, count).ToArray() : null;
        return new NumberColumn(Longs.AsSpan(start, count).ToArray(), Doubles.AsSpan(start, count).ToArray(),
            IsDouble.AsSpan(start, count).ToArray(), nulls, count);
    }

    public override long EstimatedBytes => (long)Length * 18;
}
