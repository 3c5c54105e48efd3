// Large HTTP responses stream through the real etl: every record lands once, also when a body breaks half way and is retried.
using System.Globalization;
using Etl.Cli.Tests.TestSupport;
using Etl.SampleApi;

namespace Etl.Cli.Tests.Http;

public sealed class HttpStreamingTests : IDisposable
{
    // About 4.8 MB of body, more than the 4 MiB the source keeps in memory: the records come back from a scratch file.
    private const int Records = 60_000;

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(SampleApiServer server, string query, string? pagination = null) => _folder.Write("export.json", $$"""
        {
          "name": "export",
          "source": {
            "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/export", "query": {{query}},
            "recordPath": "data", "timeoutSeconds": 60, "retry": { "maxAttempts": 3, "baseDelayMs": 1 }
            {{(pagination is null ? "" : $", \"pagination\": {pagination}")}}
          },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/export")}} } ],
          "errors": { "deadLetterPath": {{_folder.Json("errors")}} }
        }
        """);

    private (long Rows, long Distinct, long Min, long Max) Landed()
    {
        var row = DuckDb.Rows($"SELECT count(*), count(DISTINCT id), min(id), max(id) FROM {DuckDb.Parquet(_folder.PathOf("lake/export"))}")[0];
        return (Parse(row[0]), Parse(row[1]), Parse(row[2]), Parse(row[3]));
    }

    private static long Parse(string? value) => long.Parse(value!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task HttpSource_LargeResponsesWithTheCursorAfterTheRecords_LandEveryRecordOnce()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        // Two pages of 55,000 records (4.4 MB each), the next cursor after each page's records.
        var spec = Spec(server, """{ "count": "110000", "limit": "55000" }""",
            """{ "type": "cursor", "cursorPath": "next_cursor", "param": "after" }""");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", spec);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertBalanced();
        Assert.Equal((110_000L, 110_000L, 1L, 110_000L), Landed());
        Assert.Equal(2, server.TotalRequests);
    }

    [Theory]
    [InlineData(FaultKind.CutMidBody)]
    [InlineData(FaultKind.InvalidAtEnd)]
    [InlineData(FaultKind.TruncatedJson)]
    public async Task HttpSource_LargeBodyBrokenOnce_IsRetriedAndLandsEveryRecordExactlyOnce(FaultKind fault)
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { FirstFaults = [fault] });
        var spec = Spec(server, $$"""{ "count": "{{Records}}" }""");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", spec);

        Assert.True(result.ExitCode == 0, result.ToString());
        result.AssertBalanced();
        Assert.Equal(new Summary("export", "succeeded", Records, 0, 0, 0, Records, 1), result.Summary);
        Assert.Equal(((long)Records, (long)Records, 1L, (long)Records), Landed());
        Assert.Equal(2, server.TotalRequests);
        Assert.Contains("requests 2 (retried 1, failed 0, pages 1)", result.Stdout, StringComparison.Ordinal);
    }
}
