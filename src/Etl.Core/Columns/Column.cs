// One column of a batch: the values of one field for every row, typed, with nulls.
using Etl.Records;

namespace Etl.Columns;

/// <summary>
/// The values of one field for <see cref="Length"/> rows. Typed columns (<see cref="TypedColumn{T}"/>,
/// <see cref="StringColumn"/>) hold their values unboxed; a <see cref="ValueColumn"/> holds boxed values of mixed or
/// nested types (what a JSON source may produce) and is converted where a typed column is needed.
/// A column is never changed once it is in a batch that has been sent: transforms make new columns or share them.
/// </summary>
public abstract class Column(int length)
{
    public int Length { get; } = length;

    /// <summary>The type the source knows the column by (a Parquet file's DECIMAL(10,3), an INT32 column of nulls): the
    /// schema takes it for an undeclared column whose sampled values all fit it. Null when the source has none.</summary>
    public ColumnType? SourceType { get; init; }

    /// <summary>The kind of every non-null value; null for a column of boxed values of any type.</summary>
    public abstract ColumnKind? Kind { get; }

    public abstract bool IsNull(int row);

    /// <summary>Whether any row is null (cheap: typed columns know it without looking at every row).</summary>
    public abstract bool HasNulls { get; }

    /// <summary>The value as the row path holds it (long, decimal, string, DateTime in UTC, …; null), for records and
    /// dead letters.</summary>
    public abstract object? GetValue(int row);

    /// <summary>A new column of the given rows, in that order (rows may repeat).</summary>
    public abstract Column Gather(ReadOnlySpan<int> rows);

    /// <summary>A new column of rows [start, start + count).</summary>
    public abstract Column Slice(int start, int count);

    /// <summary>An estimate of the memory the column's values hold, so batches can be bounded by bytes as well as rows.</summary>
    public abstract long EstimatedBytes { get; }

    /// <summary>The class of a typed column of <paramref name="kind"/> (what builders of that kind make).</summary>
    public static Type ClassOf(ColumnKind kind) => kind switch
    {
        ColumnKind.String => typeof(StringColumn),
        ColumnKind.Bool => typeof(TypedColumn<bool>),
        ColumnKind.Int32 => typeof(TypedColumn<int>),
        ColumnKind.Int64 => typeof(TypedColumn<long>),
        ColumnKind.Double => typeof(TypedColumn<double>),
        ColumnKind.Decimal => typeof(TypedColumn<decimal>),
        ColumnKind.Date => typeof(TypedColumn<DateOnly>),
        ColumnKind.Timestamp => typeof(TypedColumn<DateTime>),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no column class for this kind"),
    };

    /// <summary>A column of the kind <paramref name="kind"/> built from boxed values (each already of that kind, or null).</summary>
    public static Column FromValues(ColumnKind? kind, IReadOnlyList<object?> values)
    {
        var builder = ColumnBuilder.For(kind, values.Count);
        foreach (var value in values)
        {
            builder.AddValue(value);
        }
        return builder.Build();
    }
}
