// Declared layouts of dates and timestamps that are not ISO 8601: date(dd.MM.yyyy), timestamp(unix), a zone for local times.
using System.Globalization;

namespace Etl.Records;

public static class DateFormat
{
    public const string Unix = "unix";
    public const string UnixMillis = "unix_ms";

    /// <summary>The type with the format (and zone) of "yyyy-MM-dd HH:mm, Europe/Paris"; null when the format is not a
    /// .NET date layout or the zone is unknown.</summary>
    public static ColumnType? WithFormat(ColumnType type, string args)
    {
        var text = args.Trim();
        string? zone = null;
        var comma = text.LastIndexOf(',');
        if (type.Kind == ColumnKind.Timestamp && comma > 0)
        {
            zone = text[(comma + 1)..].Trim();
            text = text[..comma].Trim();
            if (!TryZone(zone, out _))
            {
                return null;
            }
        }
        if (text.Length == 0 || (type.Kind == ColumnKind.Date && text is Unix or UnixMillis))
        {
            return null;
        }
        if (text is not (Unix or UnixMillis))
        {
            try
            {
                // A layout that cannot format a value cannot parse one either.
                _ = new DateTime(2026, 11, 28, 10, 30, 15).ToString(text, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                return null;
            }
        }
        return type with { Format = text, Zone = zone };
    }

    public static DateOnly ParseDate(string s, ColumnType type) =>
        DateOnly.ParseExact(s.Trim(), type.Format!, CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>The UTC time of <paramref name="value"/> (text or epoch number) in the type's format and zone.</summary>
    public static DateTime ParseTimestamp(object value, ColumnType type)
    {
        if (type.Format is Unix or UnixMillis)
        {
            var n = value switch
            {
                long l => l,
                int i => i,
                string s => long.Parse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                _ => throw new FormatException(),
            };
            return type.Format == Unix ? DateTime.UnixEpoch.AddSeconds(n) : DateTime.UnixEpoch.AddMilliseconds(n);
        }
        if (value is not string text)
        {
            throw new FormatException();
        }
        if (type.Zone is null)
        {
            return DateTime.ParseExact(text.Trim(), type.Format!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        }
        var local = DateTime.ParseExact(text.Trim(), type.Format!, CultureInfo.InvariantCulture, DateTimeStyles.None);
        TryZone(type.Zone, out var zone);
        return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone!);
    }

    private static bool TryZone(string id, out TimeZoneInfo? zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = null;
            return false;
        }
    }
}
