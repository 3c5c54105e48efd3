// The text ValueConverter.FormatTimestamp gives a timestamp, written straight as UTF-8 bytes (a CSV field) without the
// custom format string's general-purpose formatter.
namespace Etl.Records;

/// <summary>Writes a UTC timestamp as yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z': the fraction of a second without its trailing
/// zeros, and without the point when it is zero.</summary>
public static class Utf8TimestampFormat
{
    /// <summary>The longest text: yyyy-MM-ddTHH:mm:ss.fffffffZ.</summary>
    public const int MaxLength = 28;

    /// <summary>Writes <paramref name="utc"/> into <paramref name="target"/> (at least <see cref="MaxLength"/> bytes);
    /// returns the number of bytes written.</summary>
    public static int Format(DateTime utc, Span<byte> target)
    {
        utc.Deconstruct(out int year, out int month, out int day);
        var seconds = (int)(utc.Ticks % TimeSpan.TicksPerDay / TimeSpan.TicksPerSecond);
        var fraction = (int)(utc.Ticks % TimeSpan.TicksPerSecond);
        Digits(target[..4], year);
        target[4] = (byte)'-';
        Digits(target.Slice(5, 2), month);
        target[7] = (byte)'-';
        Digits(target.Slice(8, 2), day);
        target[10] = (byte)'T';
        Digits(target.Slice(11, 2), seconds / 3600);
        target[13] = (byte)':';
        Digits(target.Slice(14, 2), seconds / 60 % 60);
        target[16] = (byte)':';
        Digits(target.Slice(17, 2), seconds % 60);
        var length = 19;
        if (fraction != 0)
        {
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            target[length++] = (byte)'.';
            Digits(target.Slice(length, digits), fraction);
            length += digits;
        }
        target[length++] = (byte)'Z';
        return length;
    }

    /// <summary>Writes <paramref name="value"/> as exactly as many decimal digits as <paramref name="target"/> holds, with
    /// leading zeros.</summary>
    private static void Digits(Span<byte> target, int value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }
}
