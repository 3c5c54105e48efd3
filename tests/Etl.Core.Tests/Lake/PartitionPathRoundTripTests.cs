// Partition folder names read back (ParquetSource.PartitionValues) give exactly the values written, typed values included.
using Etl.Lake;
using Etl.Sources;

namespace Etl.Core.Tests.Lake;

public sealed class PartitionPathRoundTripTests
{
    [Theory]
    [InlineData("FR")]
    [InlineData("Zoë & Co")]
    [InlineData("東京")]
    [InlineData("a+b c")]
    [InlineData("%41")]
    [InlineData("x=y/z\\w")]
    [InlineData("..")]
    [InlineData("tab\there")]
    public void Segment_ReadBack_GivesTheValueWritten(string value)
    {
        var read = PartitionPath.Parse(PartitionPath.Segment("country", value));

        Assert.Equal([new KeyValuePair<string, string?>("country", value)], read);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Segment_NullOrEmpty_ReadsBackAsNull(string? value)
    {
        Assert.Equal([new KeyValuePair<string, string?>("k", null)], PartitionPath.Parse(PartitionPath.Segment("k", value)));
    }

    [Fact]
    public void Segment_TypedValues_UseTheirInvariantText()
    {
        string[] segments =
        [
            PartitionPath.Segment("date", new DateOnly(2026, 11, 28)),
            PartitionPath.Segment("at", new DateTime(2026, 11, 28, 10, 30, 0, DateTimeKind.Utc)),
            PartitionPath.Segment("amount", 12.50m),
            PartitionPath.Segment("n", 7L),
            PartitionPath.Segment("vip", true),
        ];

        Assert.Equal(["date=2026-11-28", "at=2026-11-28T10%3A30%3A00Z", "amount=12.50", "n=7", "vip=true"], segments);
    }

    [Fact]
    public void Segment_SeededRandomValues_ReadBackUnchanged()
    {
        const int Seed = 20261128;
        const string Alphabet = "aZ09 ./\\=%:+#?*\"'<>|{}[]^\u0001\u007Fé東";
        var random = new Random(Seed);
        for (var i = 0; i < 5000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(1, 10)).Select(_ => Alphabet[random.Next(Alphabet.Length)])]);
            var path = $"{PartitionPath.Segment("a", value)}/{PartitionPath.Segment("b=c", value)}";

            var read = PartitionPath.Parse(path);

            Assert.True(read.SequenceEqual([new("a", value), new("b=c", value)]), $"seed {Seed}, case {i}: {path} read back as {string.Join(", ", read)}");
        }
    }
}
