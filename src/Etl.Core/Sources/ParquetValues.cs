// Parquet values the engine has no column kind of, as text: binary (base64, as JSON carries bytes), time of day, UUID and
// interval (ISO 8601).
using System.Globalization;
using Parquet.File.Values.Primitives;
using Parquet.Schema;

namespace Etl.Sources;

internal static class ParquetValues
{
    /// <summary>A BINARY value as base64 text, as JSON carries bytes.</summary>
    public static string Binary(ReadOnlyMemory<byte> bytes) => Convert.ToBase64String(bytes.Span);

    /// <summary>A UUID value as its hyphenated text.</summary>
    public static string Uuid(Guid id) => id.ToString("D");

    /// <summary>A TIME value as ISO 8601 text ("03:04:05.25"), from its count of <paramref name="precision"/> units.</summary>
    public static string TimeOfDay(long units, TimeUnitPrecision precision)
    {
        var ticks = precision switch
        {
            TimeUnitPrecision.Millis => units * TimeSpan.TicksPerMillisecond,
            TimeUnitPrecision.Micros => units * TimeSpan.TicksPerMicrosecond,
            _ => units / TimeSpan.NanosecondsPerTick,
        };
        return new TimeOnly(ticks).ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
    }

    /// <summary>An INTERVAL value as an ISO 8601 duration ("P1M2DT0.5S").</summary>
    public static string Iso8601(Interval interval) =>
        FormattableString.Invariant($"P{interval.Months}M{interval.Days}DT{interval.Millis / 1000m}S");
}
