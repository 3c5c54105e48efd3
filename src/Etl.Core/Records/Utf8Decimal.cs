// Plain decimal numbers (a CSV amount: 913.63, -5, 0.10) read straight from UTF-8 digits, without the general number
// parser's handling of signs, spaces, exponents and cultures.
namespace Etl.Records;

/// <summary>
/// Reads an optional minus sign, digits, and optionally a point followed by digits, of at most
/// <see cref="MaxDigits"/> digits in all: the exact decimal that <see cref="decimal.TryParse(ReadOnlySpan{byte}, System.Globalization.NumberStyles, IFormatProvider, out decimal)"/>
/// reads in the invariant culture, with the same scale (trailing zeros kept). Anything else, and a negative zero,
/// returns false: the caller takes the general parser.
/// </summary>
public static class Utf8Decimal
{
    /// <summary>Digits that always fit in a long.</summary>
    public const int MaxDigits = 18;

    public static bool TryParsePlain(ReadOnlySpan<byte> s, out decimal value)
    {
        value = default;
        var negative = s.Length > 0 && s[0] == '-';
        var i = negative ? 1 : 0;
        long mantissa = 0;
        var digits = 0;
        var point = -1;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
            }
            else if (s[i] == '.' && point < 0 && digits > 0)
            {
                point = digits;
            }
            else
            {
                return false;
            }
        }
        if (digits == 0 || digits > MaxDigits || point == digits || (negative && mantissa == 0))
        {
            return false;
        }
        var scale = point < 0 ? 0 : digits - point;
        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, negative, (byte)scale);
        return true;
    }
}
