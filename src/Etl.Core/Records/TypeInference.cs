// Infers a column type from sample values, as DuckDB's and Spark's readers do.
using System.Globalization;

namespace Etl.Records;

public static class TypeInference
{
    /// <summary>The narrowest type that every non-null value fits; string when values disagree or are all null.</summary>
    /// <param name="inferText">false: text values are strings, whatever they look like (a CSV read with inferTypes false).</param>
    public static ColumnType Infer(IEnumerable<object?> values, bool inferText = true)
    {
        ColumnKind? kind = null;
        var scale = 0;
        foreach (var v in values)
        {
            var k = v is string && !inferText ? ColumnKind.String : KindOf(v, ref scale);
            if (k is null)
            {
                continue;
            }
            kind = kind is null ? k : Widen(kind.Value, k.Value);
            if (kind == ColumnKind.String)
            {
                break;
            }
        }
        return kind switch
        {
            null => ColumnType.String,
            ColumnKind.Decimal => new ColumnType(ColumnKind.Decimal, true, 38, Math.Min(scale, 18)),
            _ => new ColumnType(kind.Value),
        };
    }

    /// <summary>The type text in a CSV field would be read as.</summary>
    public static ColumnKind? KindOfText(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return null;
        }
        var t = s.AsSpan().Trim();
        if (t.Length != s.Length)
        {
            return ColumnKind.String;
        }
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            // Leading zeros mark identifiers (zip codes, account numbers): keep them as text.
            var digits = t[0] is '-' or '+' ? t[1..] : t;
            return digits.Length > 1 && digits[0] == '0' ? ColumnKind.String : ColumnKind.Int64;
        }
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && !t.Contains(','))
        {
            return ColumnKind.Double;
        }
        if (t.Equals("true", StringComparison.OrdinalIgnoreCase) || t.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return ColumnKind.Bool;
        }
        if (t.Length == 10 && t[4] == '-' && t[7] == '-' && DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return ColumnKind.Date;
        }
        if (t.Length >= 16 && t[4] == '-' && (t[10] == 'T' || t[10] == ' '))
        {
            try
            {
                ValueConverter.ParseTimestamp(s);
                return ColumnKind.Timestamp;
            }
            catch (FormatException)
            {
            }
        }
        return ColumnKind.String;
    }

    private static ColumnKind? KindOf(object? v, ref int scale) => v switch
    {
        null => null,
        string s => KindOfText(s),
        bool => ColumnKind.Bool,
        int => ColumnKind.Int32,
        long => ColumnKind.Int64,
        double or float => ColumnKind.Double,
        decimal m => DecimalKind(m, ref scale),
        DateTime => ColumnKind.Timestamp,
        DateOnly => ColumnKind.Date,
        _ => ColumnKind.String,
    };

    private static ColumnKind DecimalKind(decimal m, ref int scale)
    {
        scale = Math.Max(scale, m.Scale);
        return ColumnKind.Decimal;
    }

    private static ColumnKind Widen(ColumnKind a, ColumnKind b)
    {
        if (a == b)
        {
            return a;
        }
        static int Rank(ColumnKind k) => k switch { ColumnKind.Int32 => 1, ColumnKind.Int64 => 2, ColumnKind.Decimal => 3, ColumnKind.Double => 4, _ => 0 };
        if (Rank(a) > 0 && Rank(b) > 0)
        {
            return Rank(a) >= Rank(b) ? a : b;
        }
        if ((a, b) is (ColumnKind.Date, ColumnKind.Timestamp) or (ColumnKind.Timestamp, ColumnKind.Date))
        {
            return ColumnKind.Timestamp;
        }
        return ColumnKind.String;
    }
}
