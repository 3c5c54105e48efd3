// Parquet types Parquet.Net 6.1 cannot read, or converts by throwing for a whole column chunk (FLOAT16, INT96, and
// timestamps and dates beyond .NET's years 1–9999): their schema elements are rewritten so it hands over the stored bytes or
// integers, and these are converted here, value by value, so one value out of range fails its row, not the run.
using System.Buffers.Binary;
using System.Globalization;
using Parquet.Meta;
using Parquet.Schema;
using PhysicalType = Parquet.Meta.Type;

namespace Etl.Sources;

/// <summary>How the raw value of a rewritten column is converted.</summary>
internal enum ParquetRawKind { Float16, Int96, TimestampMillis, TimestampMicros, TimestampNanos, Date }

/// <summary>The columns of one file whose schema elements were rewritten, by element.</summary>
internal sealed class ParquetRawTypes
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>The Julian day of 1970-01-01 (INT96 timestamps count days from the Julian epoch).</summary>
    private const long UnixEpochJulianDay = 2_440_588;

    private readonly Dictionary<SchemaElement, ParquetRawKind> _kinds;

    private ParquetRawTypes(Dictionary<SchemaElement, ParquetRawKind> kinds) => _kinds = kinds;

    /// <summary>Rewrites <paramref name="metadata"/>'s schema (before the reader builds its schema from it).</summary>
    public static ParquetRawTypes Rewrite(FileMetaData metadata)
    {
        var kinds = new Dictionary<SchemaElement, ParquetRawKind>(ReferenceEqualityComparer.Instance);
        foreach (var element in metadata.Schema)
        {
            if (KindOf(element) is { } kind)
            {
                kinds[element] = kind;
                Rewrite(element, kind);
            }
        }
        return new ParquetRawTypes(kinds);
    }

    /// <summary>The raw kind of a leaf, or null when Parquet.Net reads it as it is.</summary>
    public ParquetRawKind? KindOf(DataField field) =>
        field.SchemaElement is { } e && _kinds.TryGetValue(e, out var kind) ? kind : null;

    private static ParquetRawKind? KindOf(SchemaElement e)
    {
        if (e.Type == PhysicalType.FIXED_LEN_BYTE_ARRAY && e.LogicalType?.FLOAT16 is not null)
        {
            return ParquetRawKind.Float16;
        }
        if (e.Type == PhysicalType.INT96)
        {
            return ParquetRawKind.Int96;
        }
        if (e.Type == PhysicalType.INT32 && (e.LogicalType?.DATE is not null || e.ConvertedType == ConvertedType.DATE))
        {
            return ParquetRawKind.Date;
        }
        if (e.Type != PhysicalType.INT64)
        {
            return null;
        }
        if (e.LogicalType?.TIMESTAMP is { } ts)
        {
            return ts.Unit.MILLIS is not null ? ParquetRawKind.TimestampMillis
                : ts.Unit.MICROS is not null ? ParquetRawKind.TimestampMicros
                : ParquetRawKind.TimestampNanos;
        }
        return e.ConvertedType switch
        {
            ConvertedType.TIMESTAMP_MILLIS => ParquetRawKind.TimestampMillis,
            ConvertedType.TIMESTAMP_MICROS => ParquetRawKind.TimestampMicros,
            _ => null,
        };
    }

    private static void Rewrite(SchemaElement e, ParquetRawKind kind)
    {
        e.LogicalType = null;
        e.ConvertedType = null;
        if (kind == ParquetRawKind.Int96)
        {
            // Twelve bytes either way (plain and dictionary pages alike), so Parquet.Net hands them over untouched.
            e.Type = PhysicalType.FIXED_LEN_BYTE_ARRAY;
            e.TypeLength = 12;
        }
    }

    /// <summary>A FLOAT16 value (two little-endian bytes) as a double, as DuckDB reads it (FLOAT, widened).</summary>
    public static double Float16(ReadOnlyMemory<byte> bytes) => (double)BinaryPrimitives.ReadHalfLittleEndian(bytes.Span);

    /// <summary>An INT96 timestamp (nanoseconds of the day, then the Julian day; as Impala and Spark write it) in ticks
    /// from 0001-01-01, exact to the tick; out of a long's range it saturates (and is then beyond DateTime's too).</summary>
    public static Int128 Int96Ticks(ReadOnlyMemory<byte> bytes)
    {
        var nanos = BinaryPrimitives.ReadInt64LittleEndian(bytes.Span);
        long day = BinaryPrimitives.ReadInt32LittleEndian(bytes.Span[8..]);
        return (day - UnixEpochJulianDay) * (Int128)TimeSpan.TicksPerDay + FloorDiv(nanos, 100) + UnixEpochTicks;
    }

    /// <summary>A TIMESTAMP's count of <paramref name="kind"/> units from the Unix epoch, in ticks from 0001-01-01.</summary>
    public static Int128 TimestampTicks(long units, ParquetRawKind kind) => kind switch
    {
        ParquetRawKind.TimestampMillis => (Int128)units * TimeSpan.TicksPerMillisecond + UnixEpochTicks,
        ParquetRawKind.TimestampMicros => (Int128)units * TimeSpan.TicksPerMicrosecond + UnixEpochTicks,
        _ => FloorDiv(units, 100) + UnixEpochTicks,
    };

    /// <summary>The ticks of a raw timestamp value: INT96 bytes or a TIMESTAMP's count of units.</summary>
    public static Int128 Ticks<T>(T raw, ParquetRawKind kind) => raw switch
    {
        ReadOnlyMemory<byte> bytes => Int96Ticks(bytes),
        long units => TimestampTicks(units, kind),
        _ => throw new ArgumentException($"a {typeof(T).Name} is not a raw timestamp", nameof(raw)),
    };

    /// <summary>The UTC timestamp at <paramref name="ticks"/>; false beyond DateTime's years 1–9999.</summary>
    public static bool TryTimestamp(Int128 ticks, out DateTime value)
    {
        var fits = ticks >= 0 && ticks <= DateTime.MaxValue.Ticks;
        value = fits ? new DateTime((long)ticks, DateTimeKind.Utc) : default;
        return fits;
    }

    /// <summary>Why a raw timestamp beyond DateTime's range fails its row, with the value it stands for.</summary>
    public static ParquetBadValue OutOfRange<T>(T raw, ParquetRawKind kind)
    {
        if (raw is ReadOnlyMemory<byte> bytes)
        {
            var text = Text(SparkInt96Ticks(bytes));
            var nanos = BinaryPrimitives.ReadInt64LittleEndian(bytes.Span);
            var day = BinaryPrimitives.ReadInt32LittleEndian(bytes.Span[8..]);
            return new ParquetBadValue(text, FormattableString.Invariant(
                $"INT96 timestamp {text} (Julian day {day}, nanosecond {nanos} of the day, as Spark reads them) is outside the years 0001–9999 a timestamp holds"));
        }
        var ticksText = Text(Ticks(raw, kind));
        return new ParquetBadValue(ticksText, $"timestamp {ticksText} is outside the years 0001–9999 a timestamp holds");
    }

    /// <summary>An INT96 value as Spark reads it: microseconds in a wrapping 64-bit count, the arithmetic Spark also
    /// writes with, so its timestamps beyond 64-bit nanoseconds (stored with an overflowed day and a negative nanosecond)
    /// come back as written.</summary>
    private static Int128 SparkInt96Ticks(ReadOnlyMemory<byte> bytes)
    {
        var nanos = BinaryPrimitives.ReadInt64LittleEndian(bytes.Span);
        long day = BinaryPrimitives.ReadInt32LittleEndian(bytes.Span[8..]);
        var micros = unchecked(((day - UnixEpochJulianDay) * 86_400_000_000L) + (nanos / 1000));
        return (Int128)micros * TimeSpan.TicksPerMicrosecond + UnixEpochTicks;
    }

    /// <summary>A DATE (days from 1970-01-01) as a date; false beyond DateOnly's years 1–9999.</summary>
    public static bool TryDate(int days, out DateOnly value)
    {
        var number = days + 719_162L; // day numbers count from 0001-01-01
        var fits = number >= DateOnly.MinValue.DayNumber && number <= DateOnly.MaxValue.DayNumber;
        value = fits ? DateOnly.FromDayNumber((int)number) : default;
        return fits;
    }

    /// <summary>Why a DATE beyond DateOnly's range fails its row, with the date it stands for ("+12000-01-01").</summary>
    public static ParquetBadValue DateOutOfRange(int days)
    {
        var text = Text((days + 719_162L) * (Int128)TimeSpan.TicksPerDay);
        text = text[..text.IndexOf('T', StringComparison.Ordinal)];
        return new ParquetBadValue(text, $"date {text} is outside the years 0001–9999 a date holds");
    }

    /// <summary>A timestamp beyond DateTime's range as ISO 8601 text ("+290000-12-30T23:00:00Z"; years before 1 count
    /// astronomically, 0 being 1 BC), so a dead letter shows the value the file holds.</summary>
    public static string Text(Int128 ticks)
    {
        var days = (long)Int128.DivRem(ticks, TimeSpan.TicksPerDay).Quotient;
        var tickOfDay = (long)(ticks - (Int128)days * TimeSpan.TicksPerDay);
        if (tickOfDay < 0)
        {
            (days, tickOfDay) = (days - 1, tickOfDay + TimeSpan.TicksPerDay);
        }
        var (year, month, day) = CivilFromDays(days - 719_162); // days from 0001-01-01 to days from 1970-01-01
        var time = new TimeOnly(tickOfDay).ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
        var sign = year is < 0 or > 9999 ? (year < 0 ? "-" : "+") : "";
        return FormattableString.Invariant($"{sign}{Math.Abs(year):0000}-{month:00}-{day:00}T{time}Z");
    }

    /// <summary>The proleptic Gregorian date of a day count from 1970-01-01, for any count (H. Hinnant's algorithm).</summary>
    private static (long Year, int Month, int Day) CivilFromDays(long z)
    {
        z += 719_468;
        var era = (z >= 0 ? z : z - 146_096) / 146_097;
        var doe = z - era * 146_097;
        var yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var day = (int)(doy - (153 * mp + 2) / 5 + 1);
        var month = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
    }

    private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);
}
