// Converts a whole column to a declared type with ValueConverter's rules, or says that some row needs the record path.
using Etl.Records;

namespace Etl.Columns;

internal static class ColumnCast
{
    /// <summary>The column converted to <paramref name="type"/> (the column itself where every value already is one), or
    /// null when some row does not convert (the record path then dead-letters it).</summary>
    /// <param name="daysOfTimestamps">A timestamp becomes its day in a date column (an explicit cast, as SQL's CAST);
    /// otherwise a time of day is refused, as ValueConverter refuses it.</param>
    public static Column? Convert(Column column, ColumnType type, bool daysOfTimestamps = false)
    {
        if (IsAlready(column, type))
        {
            return column;
        }
        if (TypedCasts.TryConvert(column, type, daysOfTimestamps, out var typed))
        {
            return typed;
        }
        var builder = ColumnBuilder.For(type.Kind, column.Length);
        for (var r = 0; r < column.Length; r++)
        {
            if (!ValueConverter.TryConvert(column.GetValue(r), type, out var converted, out _))
            {
                return null;
            }
            builder.AddValue(converted);
        }
        return builder.Build();
    }

    // ValueConverter keeps a value of the type as it is; a column of the kind keeps it whole when every value would be kept.
    private static bool IsAlready(Column column, ColumnType type)
    {
        if (column.Kind != type.Kind || column.GetType() != Column.ClassOf(type.Kind) || (!type.Nullable && column.HasNulls))
        {
            return false;
        }
        return column switch
        {
            // An empty string stays a string; nulls stay null.
            StringColumn => true,
            TypedColumn<decimal> decimals => AllFit(decimals, type),
            TypedColumn<DateTime> times => AllUtc(times),
            _ => true,
        };
    }

    private static bool AllFit(TypedColumn<decimal> column, ColumnType type)
    {
        for (var r = 0; r < column.Length; r++)
        {
            if (!column.IsNull(r) && !ValueConverter.Fits(column.Values[r], type))
            {
                return false;
            }
        }
        return true;
    }

    private static bool AllUtc(TypedColumn<DateTime> column)
    {
        for (var r = 0; r < column.Length; r++)
        {
            if (!column.IsNull(r) && column.Values[r].Kind != DateTimeKind.Utc)
            {
                return false;
            }
        }
        return true;
    }
}
