// Conversions between typed columns that need no boxed value per row, each giving exactly what ValueConverter gives
// (and, for an explicit cast, a timestamp's day).
using Etl.Records;

namespace Etl.Columns;

/// <summary>
/// Number widening and narrowing, integers and decimals to decimals, dates to timestamps and back: the cases where
/// ValueConverter's rule for one value is a plain conversion of the typed value (see its ToLong, ToDouble, ToDecimal,
/// ToDate, ToTimestamp). Everything else (text in or out, formats) goes through ValueConverter value by value.
/// </summary>
internal static class TypedCasts
{
    private delegate bool Conversion<TIn, TOut>(TIn value, out TOut result);

    /// <summary>False when the pair of kinds is not one of these; otherwise <paramref name="result"/> is the converted
    /// column, or null when some row does not convert.</summary>
    public static bool TryConvert(Column column, ColumnType type, bool daysOfTimestamps, out Column? result)
    {
        result = null;
        var handled = (column, type.Kind) switch
        {
            (TypedColumn<int> ints, ColumnKind.Int64) => Map(ints, type, (int v, out long r) => Ok(r = v)),
            (TypedColumn<int> ints, ColumnKind.Double) => Map(ints, type, (int v, out double r) => Ok(r = v)),
            (TypedColumn<int> ints, ColumnKind.Decimal) => Map(ints, type, (int v, out decimal r) => ValueConverter.Fits(r = v, type)),
            (TypedColumn<long> longs, ColumnKind.Int32) => Map<long, int>(longs, type, Int32Of),
            (TypedColumn<long> longs, ColumnKind.Double) => Map(longs, type, (long v, out double r) => Ok(r = v)),
            (TypedColumn<long> longs, ColumnKind.Decimal) => Map(longs, type, (long v, out decimal r) => ValueConverter.Fits(r = v, type)),
            (TypedColumn<decimal> decimals, ColumnKind.Decimal) => Map(decimals, type, (decimal v, out decimal r) => Rescale(v, type, out r)),
            (TypedColumn<decimal> decimals, ColumnKind.Double) => Map(decimals, type, (decimal v, out double r) => Ok(r = (double)v)),
            (TypedColumn<bool> bools, ColumnKind.Int64) => Map(bools, type, (bool v, out long r) => Ok(r = v ? 1 : 0)),
            (TypedColumn<bool> bools, ColumnKind.Int32) => Map(bools, type, (bool v, out int r) => Ok(r = v ? 1 : 0)),
            (TypedColumn<DateTime> times, ColumnKind.Date) when daysOfTimestamps => Map(times, type, (DateTime v, out DateOnly r) => Ok(r = DateOnly.FromDateTime(v))),
            // With a format, ValueConverter parses the date's text instead.
            (TypedColumn<DateOnly> dates, ColumnKind.Timestamp) when type.Format is null =>
                Map(dates, type, (DateOnly v, out DateTime r) => Ok(r = v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc))),
            (NumberColumn numbers, ColumnKind.Int64) => MapNumbers(numbers, type, (long v, out long r) => Ok(r = v), WholeLong),
            (NumberColumn numbers, ColumnKind.Int32) => MapNumbers(numbers, type, (long v, out int r) => Int32Of(v, out r),
                (double v, out int r) => WholeLong(v, out var l) & Int32Of(l, out r)),
            (NumberColumn numbers, ColumnKind.Double) => MapNumbers(numbers, type, (long v, out double r) => Ok(r = v), (double v, out double r) => Ok(r = v)),
            (NumberColumn numbers, ColumnKind.Decimal) => MapNumbers(numbers, type, (long v, out decimal r) => ValueConverter.Fits(r = v, type),
                (double v, out decimal r) => DecimalOf(v, out var m) & Rescale(m, type, out r)),
            // Without a format: ISO 8601 text, as ValueConverter.ParseTimestamp reads it.
            (StringColumn strings, ColumnKind.Timestamp) when type.Format is null => MapStrings(strings, type, (string v, out DateTime r) => ValueConverter.TryParseTimestamp(v, out r)),
            _ => (Handled: false, Column: null),
        };
        result = handled.Column;
        return handled.Handled;
    }

    private static bool Ok<T>(T _) => true;

    // ValueConverter's checked cast of a long to int32.
    private static bool Int32Of(long value, out int result) => Ok(result = (int)value) && value is >= int.MinValue and <= int.MaxValue;

    // ValueConverter.ToLong of a double: whole and within range.
    private static bool WholeLong(double value, out long result)
    {
        result = 0;
        if (value != Math.Floor(value) || !double.IsFinite(value) || value < -9.2233720368547758E18 || value >= 9.2233720368547758E18)
        {
            return false;
        }
        result = (long)value;
        return true;
    }

    // ValueConverter.ToDecimal's conversion of a double: finite and within decimal's range.
    private static bool DecimalOf(double value, out decimal result)
    {
        result = 0;
        if (!double.IsFinite(value) || Math.Abs(value) >= 7.9228162514264337593543950335E28)
        {
            return false;
        }
        result = (decimal)value;
        return true;
    }

    // ValueConverter.ToDecimal: rounded to the scale only when no digit is lost, then within the precision.
    private static bool Rescale(decimal value, ColumnType type, out decimal result)
    {
        if (ValueConverter.Fits(value, type))
        {
            result = value;
            return true;
        }
        result = Math.Round(value, type.Scale, MidpointRounding.ToEven);
        return result == value && ValueConverter.Fits(result, type);
    }

    private static (bool Handled, Column? Column) MapNumbers<TOut>(NumberColumn column, ColumnType type,
        Conversion<long, TOut> fromLong, Conversion<double, TOut> fromDouble)
        where TOut : struct
    {
        if (column.HasNulls && !type.Nullable)
        {
            return (true, null);
        }
        var values = new TOut[column.Length];
        for (var r = 0; r < values.Length; r++)
        {
            if (!column.IsNull(r) && !(column.IsDouble[r] ? fromDouble(column.Doubles[r], out values[r]) : fromLong(column.Longs[r], out values[r])))
            {
                return (true, null);
            }
        }
        var nulls = column.Nulls is { } n && column.HasNulls ? n.AsSpan(0, column.Length).ToArray() : null;
        return (true, new TypedColumn<TOut>(type.Kind, values, nulls, values.Length));
    }

    // Text to a value type; an empty string is a null, as ValueConverter takes it.
    private static (bool Handled, Column? Column) MapStrings<TOut>(StringColumn column, ColumnType type, Conversion<string, TOut> convert)
        where TOut : struct
    {
        var values = new TOut[column.Length];
        bool[]? nulls = null;
        for (var r = 0; r < values.Length; r++)
        {
            if (column.Values[r] is not { Length: > 0 } text)
            {
                if (!type.Nullable)
                {
                    return (true, null);
                }
                (nulls ??= new bool[values.Length])[r] = true;
            }
            else if (!convert(text, out values[r]))
            {
                return (true, null);
            }
        }
        return (true, new TypedColumn<TOut>(type.Kind, values, nulls, values.Length));
    }

    private static (bool Handled, Column? Column) Map<TIn, TOut>(TypedColumn<TIn> column, ColumnType type, Conversion<TIn, TOut> convert)
        where TIn : struct
        where TOut : struct
    {
        if (column.HasNulls && !type.Nullable)
        {
            return (true, null);
        }
        var values = new TOut[column.Length];
        for (var r = 0; r < values.Length; r++)
        {
            if (!column.IsNull(r) && !convert(column.Values[r], out values[r]))
            {
                return (true, null);
            }
        }
        var nulls = column.Nulls is { } n ? n.AsSpan(0, column.Length).ToArray() : null;
        return (true, new TypedColumn<TOut>(type.Kind, values, nulls, values.Length));
    }
}
