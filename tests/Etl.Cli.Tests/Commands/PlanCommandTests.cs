// etl plan: the mesh that would run, without running it; secrets masked.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Commands;

public sealed class PlanCommandTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Plan_Text_ListsEveryBlockWithKindParallelismAndCapacity()
    {
        var result = await EtlCli.RunAsync("plan", Repo.Pipeline("orders-csv-to-parquet.json"), "--param", "date=2026-11-28");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal("Mesh of 'orders':", lines[0]);
        Assert.Equal(8, lines.Count);
        Assert.Contains(lines, l => l.Contains("transforms[1] (filter)", StringComparison.Ordinal) && l.Contains("TransformBlock", StringComparison.Ordinal) && l.Contains("MaxDegreeOfParallelism=1", StringComparison.Ordinal) && l.Contains("BoundedCapacity=2", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sinks[0] input", StringComparison.Ordinal) && l.Contains("BufferBlock", StringComparison.Ordinal) && l.Contains("row groups of 10000", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sinks[0] writer 0 (parquet)", StringComparison.Ordinal) && l.Contains("data/lake/orders/date=2026-11-28", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Plan_Mermaid_PrintsAFlowchartLinkingEveryBlock()
    {
        var result = await EtlCli.RunAsync("plan", Repo.Pipeline("orders-csv-to-parquet.json"), "--format", "mermaid");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("flowchart LR", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  t2 --> conform", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  s0batch --> s0w0", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_HttpParentRequests_ShowsTheRequestTreeBeforeTheSource()
    {
        var result = await EtlCli.RunAsync("plan", Repo.Pipeline("customer-orders-http.json"));

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.StartsWith("  values.customer.request (http)", lines[1], StringComparison.Ordinal);
        Assert.Contains("GET http://127.0.0.1:5080/customers?page_size=50 (linkHeader), recordPath data → {customer} = id, carry name, country", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("  source (http)", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_HttpParentRequestsAsMermaid_LinkEachParentToWhatItFeeds()
    {
        var result = await EtlCli.RunAsync("plan", Repo.Pipeline("customer-orders-http.json"), "--format", "mermaid");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("  source_customer --> source", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_SecretInSinkPath_IsShownAsStars()
    {
        Environment.SetEnvironmentVariable("ETL_PLAN_TEST_SECRET", "s3cr3t-value");
        var spec = _folder.PathOf("secret.json");
        File.WriteAllText(spec, """
            { "name": "s", "source": { "type": "csv", "path": "in.csv" },
              "sinks": [ { "type": "csv", "path": "out/${env:ETL_PLAN_TEST_SECRET}" } ] }
            """);

        var result = await EtlCli.RunAsync("plan", spec);

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("s3cr3t-value", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("out/***", result.Stdout, StringComparison.Ordinal);
    }
}
