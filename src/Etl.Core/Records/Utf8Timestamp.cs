// ISO 8601 timestamps parsed straight from UTF-8 bytes (a CSV field), without a string per value.
namespace Etl.Records;

/// <summary>
/// The common shapes of <see cref="ValueConverter.TryParseTimestamp"/>, read from UTF-8: yyyy-MM-dd(T| )HH:mm:ss, an
/// optional fraction of 1 to 7 digits, an optional Z or ±hh:mm (converted to UTC; none means UTC), and yyyy-MM-dd
/// alone (midnight UTC). A value this parser accepts reads exactly as through the text path; anything else returns
/// false, and the caller takes the text path, which knows the other forms.
/// </summary>
public static class Utf8Timestamp
{
    private const int DateLength = 10;
    private const int DateTimeLength = 19;

    public static bool TryParse(ReadOnlySpan<byte> s, out DateTime value)
    {
        value = default;
        if (s.Length == DateLength)
        {
            return TryDate(s, out var y, out var mo, out var d) && Valid(y, mo, d, 0, 0, 0)
                && Assign(new DateTime(y, mo, d, 0, 0, 0, DateTimeKind.Utc), out value);
        }
        if (s.Length < DateTimeLength || !TryDate(s, out var year, out var month, out var day) || (s[10] != 'T' && s[10] != ' ')
            || s[13] != ':' || s[16] != ':' || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute)
            || !Digits(s, 17, 2, out var second))
        {
            return false;
        }
        var i = DateTimeLength;
        if (!TryFraction(s, ref i, out var ticks) || !TryOffset(s, ref i, out var offset) || !Valid(year, month, day, hour, minute, second))
        {
            return false;
        }
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks);
        // 9999-12-31T23:00-02:00 and 0001-01-01T00:30+01:00 have no UTC DateTime.
        if ((offset < TimeSpan.Zero && DateTime.MaxValue - local < -offset) || (offset > TimeSpan.Zero && local - DateTime.MinValue < offset))
        {
            return false;
        }
        value = local - offset;
        return true;
    }

    private static bool Assign(DateTime parsed, out DateTime value)
    {
        value = parsed;
        return true;
    }

    private static bool TryDate(ReadOnlySpan<byte> s, out int year, out int month, out int day)
    {
        month = day = 0;
        return Digits(s, 0, 4, out year) & s[4] == '-' & s[7] == '-' && Digits(s, 5, 2, out month) && Digits(s, 8, 2, out day);
    }

    private static bool Valid(int year, int month, int day, int hour, int minute, int second) =>
        year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;

    /// <summary>.f to .fffffff after the seconds, as ticks; none is zero.</summary>
    private static bool TryFraction(ReadOnlySpan<byte> s, ref int i, out long ticks)
    {
        ticks = 0;
        if (i == s.Length || s[i] != '.')
        {
            return true;
        }
        i++;
        var scale = TimeSpan.TicksPerSecond;
        var start = i;
        while (i < s.Length && char.IsAsciiDigit((char)s[i]))
        {
            scale /= 10;
            ticks += (s[i] - '0') * scale;
            i++;
        }
        return i != start && i - start <= 7;
    }

    /// <summary>Z or ±hh:mm ending the text; nothing is UTC.</summary>
    private static bool TryOffset(ReadOnlySpan<byte> s, ref int i, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (i == s.Length)
        {
            return true;
        }
        if (s[i] == 'Z')
        {
            return i == s.Length - 1;
        }
        // An offset of 24 hours or more, or of 60 minutes, is no offset: the text path refuses it.
        if ((s[i] != '+' && s[i] != '-') || s.Length - i != 6 || s[i + 3] != ':' || !Digits(s, i + 1, 2, out var oh) || !Digits(s, i + 4, 2, out var om)
            || oh > 23 || om > 59)
        {
            return false;
        }
        offset = new TimeSpan(oh, om, 0);
        if (s[i] == '-')
        {
            offset = -offset;
        }
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = s[i] - '0';
            if ((uint)digit > 9)
            {
                return false;
            }
            value = (value * 10) + digit;
        }
        return true;
    }
}
