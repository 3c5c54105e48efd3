// Utf8TimestampFormat: the UTF-8 bytes of a timestamp are exactly the text ValueConverter.FormatTimestamp gives it.
using System.Text;
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class Utf8TimestampFormatTests
{
    private static string Formatted(DateTime utc)
    {
        Span<byte> text = stackalloc byte[Utf8TimestampFormat.MaxLength];
        return Encoding.UTF8.GetString(text[..Utf8TimestampFormat.Format(utc, text)]);
    }

    [Fact]
    public void Utf8TimestampFormat_EdgeTimestamps_AreTheTextOfFormatTimestamp()
    {
        DateTime[] edges =
        [
            DateTime.MinValue, DateTime.MaxValue, new(2026, 1, 1, 0, 0, 9), new(999, 12, 31, 23, 59, 59),
            new DateTime(2026, 11, 28, 10, 30, 15).AddTicks(1), new DateTime(2026, 11, 28, 10, 30, 15).AddTicks(1_000_000),
            new DateTime(2026, 11, 28, 10, 30, 15).AddTicks(1_234_560), new DateTime(2000, 2, 29, 12, 0, 0, 5),
        ];

        Assert.All(edges, t => Assert.Equal(ValueConverter.FormatTimestamp(t), Formatted(t)));
    }

    [Fact]
    public void Utf8TimestampFormat_RandomTimestamps_AreTheTextOfFormatTimestamp()
    {
        var random = new Random(7);
        var times = Enumerable.Range(0, 2000).Select(_ => new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Utc));

        Assert.All(times, t => Assert.Equal(ValueConverter.FormatTimestamp(t), Formatted(t)));
    }
}
