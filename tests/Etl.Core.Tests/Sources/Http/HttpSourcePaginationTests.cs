// End-to-end tests of each pagination type against the sample API: every page is walked, every record arrives once.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourcePaginationTests
{
    [Theory]
    [InlineData("page", """ "path": "/orders", "pagination": { "type": "page", "sizeParam": "page_size", "size": 100 } """, 11)]
    [InlineData("offset", """ "path": "/orders", "pagination": { "type": "offset", "limit": 75, "totalPath": "total" } """, 14)]
    [InlineData("offset without total", """ "path": "/orders", "pagination": { "type": "offset", "limit": 250 } """, 5)]
    [InlineData("cursor", """ "path": "/orders", "query": { "limit": "100" }, "pagination": { "type": "cursor", "cursorPath": "next_cursor" } """, 10)]
    [InlineData("nextLink", """ "path": "/orders/links", "query": { "page_size": "100" }, "pagination": { "type": "nextLink", "path": "next" } """, 10)]
    [InlineData("linkHeader", """ "path": "/orders/linkheader", "query": { "page_size": "100" }, "pagination": { "type": "linkHeader" } """, 10)]
    public async Task HttpSource_Pagination_WalksEveryPage(string type, string source, int pages)
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""{ "type": "http", "baseUrl": "{{server.BaseAddress}}", "recordPath": "data", {{source}} }""", temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal((type, pages), (type, (int)run.Result.Pages));
    }

    [Fact]
    public async Task HttpSource_PostWithPageInBody_WalksEveryPage()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        var expected = await PaidOrderIdsAsync(server);

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "method": "post", "path": "/search",
              "body": { "query": "status:paid" }, "recordPath": "data",
              "pagination": { "type": "page", "in": "body", "param": "page", "sizeParam": "size", "size": 50 } }
            """, temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(expected, HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal(expected.Count / 50 + 1 + (expected.Count % 50 == 0 ? 0 : 1), run.Result.Pages);
        Assert.Equal(run.Result.Pages, server.Requests.Count(r => r.Method == "POST" && r.PathAndQuery == "/search" && r.Body!.Contains("\"page\":", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task HttpSource_MaxPages_StopsEachRequestThere()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "recordPath": "data",
              "pagination": { "type": "page", "sizeParam": "page_size", "size": 100, "maxPages": 3 } }
            """, temp.Root);

        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal(3, run.Result.Pages);
    }

    [Fact]
    public async Task HttpSource_PaginationPerRequest_WalksThePagesOfEachCombination()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "recordPath": "data",
              "values": { "status": ["paid", "shipped"] }, "query": { "status": "{status}" },
              "pagination": { "type": "cursor", "cursorPath": "next_cursor", "param": "cursor" } }
            """, temp.Root, columns: """{ "order_id": "id", "status": "status", "requested": "$request.status" }""");

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(HttpTestRuns.ReadStrings(run.Sink, "status"), HttpTestRuns.ReadStrings(run.Sink, "requested"));
        Assert.Equal(["paid", "shipped"], HttpTestRuns.ReadStrings(run.Sink, "status").Distinct().Order());
    }

    private static async Task<List<long>> PaidOrderIdsAsync(SampleApiServer server)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        using var doc = JsonDocument.Parse(await client.GetStringAsync(new Uri("orders?status=paid&page_size=10000", UriKind.Relative)));
        return [.. doc.RootElement.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).Order()];
    }
}
