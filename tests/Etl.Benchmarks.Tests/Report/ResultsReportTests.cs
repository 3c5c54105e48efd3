// The table: ratios against the baseline row, skipped runs with their reason, targets with their verdict.
using Etl.Benchmarks.Measure;
using Etl.Benchmarks.Report;
using Etl.Benchmarks.Scenarios;

namespace Etl.Benchmarks.Tests.Report;

public sealed class ResultsReportTests
{
    private static Measurement M(double wall, double cpu, long rssMb) =>
        new("cmd", 0, TimeSpan.FromSeconds(wall), TimeSpan.FromSeconds(cpu), rssMb * 1024 * 1024, "", "");

    private static readonly RunnerResult Etl = new() { Runner = "etl", Items = 1000, Unit = "rows", Measurement = M(3, 4, 200), OutputRows = 1000 };
    private static readonly RunnerResult Duck = new() { Runner = "DuckDB", Items = 1000, Unit = "rows", Measurement = M(2, 2, 400), OutputRows = 1000 };

    [Fact]
    public void RatioText_BothRan_GivesWallCpuAndRssRatios()
    {
        Assert.Equal("wall 1.50×, CPU 2.00×, RSS 0.50×", ResultsReport.RatioText(Etl, Duck));
    }

    [Fact]
    public void Render_SkippedRun_ShowsTheReasonInsteadOfFigures()
    {
        var skipped = new RunnerResult { Runner = "etl", Items = 10, Unit = "requests", Problem = HttpScenarios.NotAvailable };
        var scenario = new ScenarioResult { Id = "http-latency", Title = "HTTP", Runs = [skipped], Targets = [new TargetCheck("t", "n/a", null)] };

        var md = ResultsReport.Render([scenario], []);

        Assert.Contains("| HTTP | etl | 10 requests | – | – | – | – | – | – | skipped: http source not available in this build |", md, StringComparison.Ordinal);
        Assert.Contains("| t | n/a | not measured |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OutputRowsDiffer_FlagsTheEtlRow()
    {
        var scenario = new ScenarioResult { Id = "x", Title = "X", Runs = [Etl with { OutputRows = 999 }, Duck] };

        var md = ResultsReport.Render([scenario], []);

        Assert.Contains("output rows differ from the baseline's (999 vs 1,000)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void WallRatio_OverTarget_IsNotMet()
    {
        var check = FileScenarios.WallRatio("t", Etl with { Measurement = M(4, 1, 1) }, Duck);

        Assert.False(check.Met);
        Assert.Equal("2.00× (4.00 s vs 2.00 s)", check.Measured);
    }
}
