// Plain integers (a CSV id: 277493, -5) read straight from UTF-8 digits, without the general number parser's handling of
// signs, spaces and cultures.
namespace Etl.Records;

/// <summary>Reads an optional minus sign and 1 to <see cref="MaxDigits"/> digits: the value that
/// <see cref="long.TryParse(ReadOnlySpan{byte}, System.Globalization.NumberStyles, IFormatProvider, out long)"/> reads in
/// the invariant culture. Anything else returns false: the caller takes the general parser.</summary>
public static class Utf8Int64
{
    /// <summary>Digits that always fit in a long.</summary>
    public const int MaxDigits = 18;

    public static bool TryParsePlain(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        var negative = s.Length > 0 && s[0] == '-';
        var digits = negative ? s[1..] : s;
        if (digits.Length is < 1 or > MaxDigits)
        {
            return false;
        }
        long result = 0;
        foreach (var b in digits)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }
            result = (result * 10) + d;
        }
        value = negative ? -result : result;
        return true;
    }
}
