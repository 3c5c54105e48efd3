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
                ColumnKind.Date => ToDate(value),
                ColumnKind.Timestamp => ToTimestamp(value),
                _ => throw new InvalidOperationException(type.Kind.ToString()),
            };
            return true;
        }
        catch (Exception e) when (e is FormatException or OverflowException or InvalidCastException)
        {
            error = $"{Describe(value)} is not a {type}" + (e is OverflowException ? " (out of range)" : "");
            return false;
        }
    }

    public static string Describe(object? value)
    {
        var text = value is string s ? s : ToText(value);
        if (text.Length > 200)
        {
            text = text[..200] + "…";
        }
        return JsonSerializer.Serialize(text);
    }

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
        string s => long.Parse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        bool b => b ? 1 : 0,
        _ => throw new FormatException(),
    };

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        decimal m => (double)m,
        string s => double.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture),
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
            string s => decimal.Parse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => throw new FormatException(),
        };
        var rounded = Math.Round(m, type.Scale, MidpointRounding.ToEven);
        if (rounded != m)
        {
            // Dropping digits silently would change money values: refuse instead.
            throw new FormatException();
        }
        var integerDigits = type.Precision - type.Scale;
        if (integerDigits < 29 && Math.Abs(decimal.Truncate(rounded)) >= Pow10(integerDigits))
        {
            throw new OverflowException();
        }
        return rounded;
    }

    private static decimal Pow10(int n)
    {
        decimal r = 1;
        for (var i = 0; i < n; i++)
        {
            r *= 10;
        }
        return r;
    }

    private static DateOnly ToDate(object value) => value switch
    {
        DateOnly d => d,
        DateTime dt => DateOnly.FromDateTime(dt),
        string s => DateOnly.FromDateTime(ParseTimestamp(s)),
        _ => throw new FormatException(),
    };

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
        string s => ParseTimestamp(s),
        _ => throw new FormatException(),
    };

    /// <summary>ISO 8601 text; without an offset the time is taken as UTC.</summary>
    public static DateTime ParseTimestamp(string s) =>
        DateTime.ParseExact(s.Trim(), TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
