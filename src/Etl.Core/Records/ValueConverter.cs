// Converts any record value to a declared column type, or says why it cannot.
using System.Globalization;
using System.Text.Json;

namespace Etl.Records;

public static class ValueConverter
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
    ];

    /// <summary>Converts <paramref name="value"/>; on failure returns false with a reason naming value and type.</summary>
    public static bool TryConvert(object? value, ColumnType type, out object? result, out string? error)
    {
        error = null;
        result = null;
        if (value is null || (value is string s0 && s0.Length == 0 && type.Kind != ColumnKind.String))
        {
            if (!type.Nullable)
            {
                error = $"null in a column declared {type}";
                return false;
            }
            return true;
        }
        if (IsAlready(value, type))
        {
            // The common case on the hot path: the source already produced the column's type.
            result = value;
            return true;
        }
        if (value is string numberText && type.Kind is ColumnKind.Int32 or ColumnKind.Int64 or ColumnKind.Double or ColumnKind.Decimal)
        {
            // Text is what fails most (a CSV column of "N/A"): told without an exception, a thousand times cheaper.
            return type.Kind == ColumnKind.Decimal ? TryParseDecimal(numberText, type, out result, out error)
                : TryParseNumber(numberText, type, out result, out error);
        }
        if (value is string timeText && type.Format is null && type.Kind is ColumnKind.Timestamp or ColumnKind.Date)
        {
            return TryParseTime(timeText, type, out result, out error);
        }
        try
        {
            result = type.Kind switch
            {
                ColumnKind.String => ToText(value),
                ColumnKind.Bool => ToBool(value),
                ColumnKind.Int32 => checked((int)ToLong(value)),
                ColumnKind.Int64 => ToLong(value),
                ColumnKind.Double => ToDouble(value),
                ColumnKind.Decimal => ToDecimal(value, type),
                ColumnKind.Date when type.Format is not null && value is string text => DateFormat.ParseDate(text, type),
                ColumnKind.Timestamp when type.Format is not null && value is not DateTime => DateFormat.ParseTimestamp(value, type),
                ColumnKind.Date => ToDate(value),
                ColumnKind.Timestamp => ToTimestamp(value),
                _ => throw new InvalidOperationException(type.Kind.ToString()),
            };
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException or ArgumentOutOfRangeException)
        {
            var why = e switch
            {
                TooManyDecimalsException => $" (more than {type.Scale} digits after the decimal point)",
                TimeOfDayException => TimeOfDaySuffix,
                OverflowException or ArgumentOutOfRangeException => " (out of range)",
                _ => "",
            };
            error = $"{Describe(value)} is not a {type}{why}";
            return false;
        }
    }

    /// <summary>Text to an int32, int64 or double column: invariant digits with an optional sign (a double in any float
    /// form), surrounding white space ignored.</summary>
    private static bool TryParseNumber(string text, ColumnType type, out object? result, out string? error)
    {
        result = null;
        error = null;
        var trimmed = text.AsSpan().Trim();
        if (type.Kind == ColumnKind.Double)
        {
            if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            {
                result = d;
                return true;
            }
        }
        else if (long.TryParse(trimmed, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
            && (type.Kind == ColumnKind.Int64 || l is >= int.MinValue and <= int.MaxValue))
        {
            result = type.Kind == ColumnKind.Int64 ? l : (object)(int)l;
            return true;
        }
        // Digits that do not fit (long.Parse's OverflowException) are out of range; anything else is no number.
        var outOfRange = type.Kind != ColumnKind.Double && trimmed.TrimStart("+-") is { Length: > 0 } digits
            && trimmed.Length - digits.Length <= 1 && !digits.ContainsAnyExceptInRange('0', '9');
        error = $"{Describe(text)} is not a {type}{(outOfRange ? " (out of range)" : "")}";
        return false;
    }

    private static bool IsAlready(object value, ColumnType type) => type.Kind switch
    {
        ColumnKind.String => value is string,
        ColumnKind.Int64 => value is long,
        ColumnKind.Int32 => value is int,
        ColumnKind.Double => value is double,
        ColumnKind.Bool => value is bool,
        ColumnKind.Date => value is DateOnly,
        ColumnKind.Timestamp => value is DateTime { Kind: DateTimeKind.Utc },
        ColumnKind.Decimal => value is decimal m && m.Scale <= type.Scale && FitsPrecision(m, type),
        _ => false,
    };

    /// <summary>Whether a decimal is stored as it is in a column of <paramref name="type"/> (scale and precision fit).</summary>
    public static bool Fits(decimal m, ColumnType type) => m.Scale <= type.Scale && FitsPrecision(m, type);

    private static readonly decimal[] Powers10 = [.. Enumerable.Range(0, 29).Select(n => Enumerable.Repeat(10m, n).Aggregate(1m, (a, b) => a * b))];

    private static bool FitsPrecision(decimal m, ColumnType type)
    {
        var integerDigits = type.Precision - type.Scale;
        return integerDigits >= 29 || Math.Abs(decimal.Truncate(m)) < Powers10[integerDigits];
    }

    public static string Describe(object? value)
    {
        var text = value is string s ? s : ToText(value);
        if (text.Length > 200)
        {
            text = text[..200] + "…";
        }
        return JsonSerializer.Serialize(text, DescribeOptions);
    }

    // Quotes and control characters escaped, the rest as written: "Müller", "1E+19", not "M\u00FCller".
    private static readonly JsonSerializerOptions DescribeOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string TimeOfDaySuffix = " (it has a time of day, which a date column would lose; declare the column timestamp)";

    private sealed class TooManyDecimalsException : FormatException;

    private sealed class TimeOfDayException : FormatException;

    /// <summary>Text form of a value: invariant numbers, ISO dates, JSON for nested values.</summary>
    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        DateTime dt => FormatTimestamp(dt),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        Record or IReadOnlyList<object?> => RecordJson.Serialize(value),
        _ => value.ToString() ?? "",
    };

    public static string FormatTimestamp(DateTime dt)
    {
        var utc = dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : dt;
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    private static bool ToBool(object value) => value switch
    {
        bool b => b,
        long l when l is 0 or 1 => l == 1,
        string s => s.Trim().ToLowerInvariant() switch
        {
            "true" or "t" or "yes" or "y" or "1" => true,
            "false" or "f" or "no" or "n" or "0" => false,
            _ => throw new FormatException(),
        },
        _ => throw new InvalidCastException(),
    };

    private static long ToLong(object value) => value switch
    {
        long l => l,
        int i => i,
        double d when d == Math.Floor(d) && !double.IsInfinity(d) => checked((long)d),
        decimal m when m == decimal.Truncate(m) => checked((long)m),
        bool b => b ? 1 : 0,
        _ => throw new FormatException(),
    };

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        decimal m => (double)m,
        _ => throw new FormatException(),
    };

    private static decimal ToDecimal(object value, ColumnType type)
    {
        var m = value switch
        {
            decimal d => d,
            long l => l,
            int i => i,
            double d => double.IsFinite(d) ? (decimal)d : throw new OverflowException(),
            _ => throw new FormatException(),
        };
        return DecimalProblem(m, type, out var rounded) switch
        {
            null => rounded,
            TooManyDecimals => throw new TooManyDecimalsException(),
            _ => throw new OverflowException(),
        };
    }

    private static readonly System.Buffers.SearchValues<char> NumberCharacters = System.Buffers.SearchValues.Create("0123456789+-.eE");
    private const string TooManyDecimals = "decimals";
    private const string OutOfRange = "range";

    /// <summary>Why <paramref name="m"/> does not go into a column of <paramref name="type"/> as it is (null when it does):
    /// digits beyond the scale (dropping them silently would change money values), or too many integer digits.</summary>
    private static string? DecimalProblem(decimal m, ColumnType type, out decimal rounded)
    {
        rounded = Math.Round(m, type.Scale, MidpointRounding.ToEven);
        return rounded != m ? TooManyDecimals : !FitsPrecision(rounded, type) ? OutOfRange : null;
    }

    /// <summary>ISO text to a timestamp or date column (no format); a date with a time of day is refused.</summary>
    private static bool TryParseTime(string text, ColumnType type, out object? result, out string? error)
    {
        result = null;
        error = null;
        if (!TryParseTimestamp(text, out var timestamp))
        {
            error = $"{Describe(text)} is not a {type}";
            return false;
        }
        if (type.Kind == ColumnKind.Timestamp)
        {
            result = timestamp;
            return true;
        }
        if (timestamp.TimeOfDay != TimeSpan.Zero)
        {
            error = $"{Describe(text)} is not a {type}{TimeOfDaySuffix}";
            return false;
        }
        result = DateOnly.FromDateTime(timestamp);
        return true;
    }

    /// <summary>Text to a decimal column (invariant float form), with <see cref="DecimalProblem"/>'s refusals.</summary>
    private static bool TryParseDecimal(string text, ColumnType type, out object? result, out string? error)
    {
        result = null;
        error = null;
        var trimmed = text.AsSpan().Trim();
        string? problem;
        if (decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            problem = DecimalProblem(m, type, out var rounded);
            if (problem is null)
            {
                result = rounded;
                return true;
            }
        }
        else
        {
            // decimal.Parse's OverflowException: a number written in digits, beyond decimal's range (not "NaN", "Infinity").
            problem = double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                && !trimmed.ContainsAnyExcept(NumberCharacters) ? OutOfRange : null;
        }
        var why = problem switch
        {
            TooManyDecimals => $" (more than {type.Scale} digits after the decimal point)",
            OutOfRange => " (out of range)",
            _ => "",
        };
        error = $"{Describe(text)} is not a {type}{why}";
        return false;
    }

    private static DateOnly ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnlyOf(dt),
        _ => throw new FormatException(),
    };

    // A time of day would be lost in a date column: such a value is not a date (evolve widens the column to timestamp).
    private static DateOnly DateOnlyOf(DateTime dt) =>
        dt.TimeOfDay == TimeSpan.Zero ? DateOnly.FromDateTime(dt) : throw new TimeOfDayException();

    private static DateTime ToTimestamp(object value) => value switch
    {
        DateTime dt => dt.Kind switch
        {
            DateTimeKind.Utc => dt,
            DateTimeKind.Local => dt.ToUniversalTime(),
            _ => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
        },
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        DateTimeOffset o => o.UtcDateTime,
        long l => DateTime.UnixEpoch.AddSeconds(l),
        _ => throw new FormatException(),
    };

    /// <summary>ISO 8601 text; without an offset the time is taken as UTC.</summary>
    public static DateTime ParseTimestamp(string s) => TryParseIsoFast(s, out var fast) switch
    {
        IsoText.Parsed => fast,
        // The general parser would take some of these (an offset of +25:00, 0001-01-01T00:00+02:00 as 22:00 that day).
        IsoText.Impossible => throw new FormatException($"{s} is no time in UTC's range"),
        _ => DateTime.ParseExact(s.Trim(), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
    };

    public static bool TryParseTimestamp(string s, out DateTime value)
    {
        if (TryParseIsoFast(s, out value) is var fast and not IsoText.OtherShape)
        {
            return fast == IsoText.Parsed;
        }
        return DateTime.TryParseExact(s.Trim(), TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>The common shape yyyy-MM-ddTHH:mm:ss[.fffffff][Z|±hh:mm] without the general parser's cost.</summary>
    private static IsoText TryParseIsoFast(string s, out DateTime value)
    {
        value = default;
        if (s.Length < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        {
            return IsoText.OtherShape;
        }
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return IsoText.OtherShape;
        }
        var i = 19;
        long ticks = 0;
        if (i < s.Length && s[i] == '.')
        {
            i++;
            var scale = TimeSpan.TicksPerSecond;
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                scale /= 10;
                ticks += (s[i] - '0') * scale;
                i++;
            }
            if (i == start || i - start > 7)
            {
                return IsoText.OtherShape;
            }
        }
        var offset = TimeSpan.Zero;
        if (i < s.Length)
        {
            if (s[i] == 'Z' && i == s.Length - 1)
            {
                i++;
            }
            else if ((s[i] == '+' || s[i] == '-') && s.Length - i == 6 && s[i + 3] == ':' && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om))
            {
                if (oh > 23 || om > 59)
                {
                    return IsoText.Impossible;
                }
                offset = new TimeSpan(oh, om, 0);
                if (s[i] == '-')
                {
                    offset = -offset;
                }
                i += 6;
            }
            else
            {
                return IsoText.OtherShape;
            }
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return IsoText.Impossible;
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
        // 9999-12-31T23:00-02:00 and 0001-01-01T00:30+01:00 have no UTC DateTime.
        if ((offset < TimeSpan.Zero && DateTime.MaxValue - local < -offset) || (offset > TimeSpan.Zero && local - DateTime.MinValue < offset))
        {
            return IsoText.Impossible;
        }
        value = local - offset;
        return IsoText.Parsed;
    }

    /// <summary>What the fast ISO reader made of a text: a time, an impossible one in its shape (a 30 February, an
    /// offset of 25 hours, no UTC time in range), or another shape (for the general parser).</summary>
    private enum IsoText { Parsed, Impossible, OtherShape }

    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }
}
