// PartitionPath: no value can name a folder outside the sink; null and empty go to the Hive default partition.
using Etl.Lake;

namespace Etl.Core.Tests.Lake;

public sealed class PartitionPathTests
{
    [Theory]
    [InlineData("../x", "..%2Fx")]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a\\b", "a%5Cb")]
    [InlineData("..", "%2E%2E")]
    [InlineData(".", "%2E")]
    [InlineData("k=v", "k%3Dv")]
    [InlineData("100%", "100%25")]
    [InlineData("ctl\u0001\n", "ctl%01%0A")]
    [InlineData("FR", "FR")]
    public void Escape_HostileValue_IsOneHarmlessSegment(string value, string expected)
    {
        Assert.Equal(expected, PartitionPath.Escape(value));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Escape_NullOrEmpty_IsTheHiveDefaultPartition(string? value)
    {
        Assert.Equal("__HIVE_DEFAULT_PARTITION__", PartitionPath.Escape(value));
    }

    [Fact]
    public void Segment_Value_IsKeyEqualsEscapedValue()
    {
        Assert.Equal("country=..%2Fetc", PartitionPath.Segment("country", "../etc"));
    }

    [Fact]
    public void Escape_AnyValue_StaysInsideTheFolder()
    {
        const string Alphabet = "./\\=%:\u0000\u001fa.";
        var random = new Random(20261128);
        var root = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "sink"));
        for (var i = 0; i < 2000; i++)
        {
            var chars = Enumerable.Range(0, random.Next(0, 8)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray();
            var segment = PartitionPath.Segment("k", new string(chars));
            var full = Path.GetFullPath(Path.Combine(root, segment));
            Assert.Equal(root, Path.GetDirectoryName(full));
        }
    }
}
