// Utf8Timestamp: the UTF-8 fast path reads every timestamp it accepts exactly as the text path does.
using System.Text;
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class Utf8TimestampTests
{
    public static TheoryData<string> Forms() =>
    [
        "2026-11-28T10:30:15", "2026-11-28 10:30:15", "2026-11-28T10:30:15Z", "2026-11-28 10:30:15Z",
        "2026-11-28T10:30:15.1", "2026-11-28T10:30:15.12", "2026-11-28T10:30:15.123", "2026-11-28T10:30:15.1234",
        "2026-11-28T10:30:15.12345", "2026-11-28T10:30:15.123456", "2026-11-28T10:30:15.1234567", "2026-11-28T10:30:15.1234567Z",
        "2026-11-28T10:30:15.12345678", "2026-11-28T10:30:15.", "2026-11-28T10:30:15+02:00", "2026-11-28T10:30:15-05:30",
        "2026-11-28 10:30:15.5+14:00", "2026-11-28T00:30:15.0000001+01:00", "2026-11-28T10:30:15+0200", "2026-11-28T10:30:15 Z",
        "2026-11-28T10:30:15z", "2026-11-28T10:30:15ZZ", "2026-11-28", "2026-02-29", "2024-02-29", "0001-01-01", "0000-01-01",
        "9999-12-31T23:59:59.9999999", "9999-12-31T23:00:00-02:00", "0001-01-01T00:30:00+01:00", "2026-13-01T00:00:00",
        "2026-11-31T00:00:00", "2026-11-28T24:00:00", "2026-11-28T23:60:00", "2026-11-28T23:59:60", "2026-11-28T10:30",
        "2026-11-28T10:30Z", "2026-11-28T10:30+02:00", " 2026-11-28T10:30:15", "2026-11-28T10:30:15 ", "2026/11/28 10:30:15",
        "26-11-28", "2026-1-28", "2026-11-28X10:30:15", "2026-11-28T10:30:15+02:0", "2026-11-28T10:30:15+02-00",
        "２０２６-11-28T10:30:15", "2026-11-28T10:30:15é", "", "x", "2026-11-28T10:30:15.1234567+00:00",
        "2026-11-28T10:30:15+25:00", "2026-11-28T10:30:15+01:60", "2026-11-28T10:30:15+23:59", "0001-01-01T00:00:00+02:00",
    ];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Utf8Timestamp_AcceptedForm_ReadsAsTheTextPath(string text)
    {
        var fast = Utf8Timestamp.TryParse(Encoding.UTF8.GetBytes(text), out var value);
        var slow = ValueConverter.TryParseTimestamp(text, out var expected);

        // What the fast path refuses goes to the text path; what it accepts must read the same.
        Assert.Equal(fast ? (true, expected, expected.Kind) : (false, default(DateTime), DateTimeKind.Unspecified), (fast && slow, value, value.Kind));
    }

    [Theory]
    [InlineData("2026-11-28T10:30:15.1234567")]
    [InlineData("2026-11-28 10:30:15+02:00")]
    [InlineData("2026-11-28T10:30:15Z")]
    [InlineData("2026-11-28")]
    public void Utf8Timestamp_CommonIsoShape_IsReadWithoutTheTextPath(string text)
    {
        Assert.True(Utf8Timestamp.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void Utf8Timestamp_Offset_IsConvertedToUtc()
    {
        var parsed = Utf8Timestamp.TryParse("2026-11-28T10:30:15.25+02:00"u8, out var value);

        Assert.Equal((true, new DateTime(2026, 11, 28, 8, 30, 15, 250, DateTimeKind.Utc), DateTimeKind.Utc), (parsed, value, value.Kind));
    }

    [Fact]
    public void Utf8Timestamp_ManyGeneratedValues_ReadAsTheTextPath()
    {
        var random = new Random(20261128);
        for (var n = 0; n < 10_000; n++)
        {
            var at = new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc);
            var offset = random.Next(-14 * 60, (14 * 60) + 1);
            var text = at.ToString(random.Next(3) switch { 0 => "yyyy-MM-dd HH:mm:ss", 1 => "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", _ => "yyyy-MM-dd" }, System.Globalization.CultureInfo.InvariantCulture)
                + (random.Next(3) switch { 0 => "", 1 => "Z", _ => $"{(offset < 0 ? '-' : '+')}{Math.Abs(offset) / 60:00}:{Math.Abs(offset) % 60:00}" });
            var fast = Utf8Timestamp.TryParse(Encoding.UTF8.GetBytes(text), out var value);
            var slow = ValueConverter.TryParseTimestamp(text, out var expected);

            Assert.True(!fast || (slow && value == expected && value.Kind == expected.Kind), $"{text}: {fast} {value:o} vs {slow} {expected:o} (seed 20261128)");
        }
    }
}
