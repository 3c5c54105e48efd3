// Options: the documented defaults, and errors that name the option and the value.
namespace Etl.Benchmarks.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Parse_NoOptions_TakesTheDocumentedDefaults()
    {
        var (o, commands) = BenchOptions.Parse(["all"], "/repo");

        Assert.Equal(["all"], commands);
        Assert.Equal(5_000_000L, o.Rows);
        Assert.Equal(1_000_000L, o.JsonRows);
        Assert.Equal(1_000_000L, o.MemoryRows);
        Assert.Equal(10_000, o.HttpEndpoints);
        Assert.Equal(1_000, o.LatencyEndpoints);
        Assert.Equal(200, o.LatencyMs);
        Assert.Equal(50, o.Concurrency);
        Assert.Equal(1, o.Repeat);
        Assert.Equal("/repo/bench-work", o.Work);
        Assert.Equal("/repo/bench-results", o.Out);
        Assert.False(o.Keep);
    }

    [Fact]
    public void Parse_Values_AcceptsSeparators()
    {
        var (o, commands) = BenchOptions.Parse(["csv-parquet", "--rows", "200_000", "--json-rows", "50,000", "--keep", "memory"], "/repo");

        Assert.Equal(["csv-parquet", "memory"], commands);
        Assert.Equal(200_000L, o.Rows);
        Assert.Equal(50_000L, o.JsonRows);
        Assert.True(o.Keep);
    }

    [Fact]
    public void Parse_BadNumber_NamesOptionAndValue()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["all", "--rows", "lots"], "/repo"));

        Assert.Equal("--rows: expected a whole number >= 1; got \"lots\"", e.Message);
    }

    [Fact]
    public void Parse_UnknownOption_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchOptions.Parse(["all", "--row", "5"], "/repo"));

        Assert.StartsWith("unknown option --row; expected one of --rows, --json-rows,", e.Message, StringComparison.Ordinal);
    }
}
