// End-to-end tests of the pagination real APIs use, against the sample API's customer listing: each style walks every
// page exactly once and asks for no empty page after the last.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceStopConditionTests
{
    private const string CustomerIds = """{ "customer_id": "id" }""";

    [Theory]
    [InlineData("hasMorePath", """ "pagination": { "type": "page", "sizeParam": "page_size", "size": 100, "hasMorePath": "meta.hasNext" } """)]
    [InlineData("totalPagesPath", """ "pagination": { "type": "page", "sizeParam": "page_size", "size": 100, "totalPagesPath": "total_pages" } """)]
    [InlineData("totalPath", """ "pagination": { "type": "page", "sizeParam": "page_size", "size": 100, "totalPath": "total" } """)]
    [InlineData("stopOnShortPage", """ "pagination": { "type": "page", "sizeParam": "page_size", "size": 100, "stopOnShortPage": true } """)]
    [InlineData("offset stopOnShortPage", """ "query": { "page_size": "100" }, "pagination": { "type": "offset", "offsetParam": "starting_after", "limit": 100, "limitParam": "limit", "stopOnShortPage": true } """)]
    [InlineData("lastRecord", """ "query": { "limit": "100" }, "pagination": { "type": "cursor", "cursorFrom": "lastRecord", "cursorField": "id", "param": "starting_after", "hasMorePath": "has_more" } """)]
    [InlineData("linkHeader", """ "query": { "page_size": "100" }, "pagination": { "type": "linkHeader" } """)]
    public async Task HttpSource_CustomerListing_WalksEveryPageOnceWithoutAnEmptyOne(string style, string pagination)
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/customers", "recordPath": "data", {{pagination}} }
            """, temp.Root, CustomerIds);

        Assert.Equal((style, RunStatus.Succeeded, (string?)null), (style, run.Result.Status, run.Result.Error));
        Assert.Equal(Enumerable.Range(1, server.CustomerCount).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "customer_id").Order());
        var pages = server.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Equal((style, (server.CustomerCount + 99) / 100), (style, pages.Count));
        Assert.Equal(pages.Count, pages.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task HttpSource_GraphQlConnection_WalksEveryPageByCursorInTheBody()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "method": "post", "path": "/graphql",
              "body": { "query": "query($first: Int, $after: String) { customers(first: $first, after: $after) { nodes { id } pageInfo { endCursor hasNextPage } } }",
                        "variables": { "first": 100 } },
              "recordPath": "data.customers.nodes",
              "pagination": { "type": "cursor", "in": "body", "param": "variables.after",
                              "cursorPath": "data.customers.pageInfo.endCursor", "hasMorePath": "data.customers.pageInfo.hasNextPage" } }
            """, temp.Root, CustomerIds);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(Enumerable.Range(1, server.CustomerCount).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "customer_id").Order());
        var bodies = server.Requests.Select(r => r.Body!).ToList();
        Assert.Equal((server.CustomerCount + 99) / 100, bodies.Count);
        Assert.Equal(bodies.Count, bodies.Distinct(StringComparer.Ordinal).Count());
        Assert.All(bodies.Skip(1), b => Assert.Contains("\"variables\":{\"first\":100,\"after\":\"", b, StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpSource_204NoContentPage_EndsPaginationWithoutADeadLetter()
    {
        // The first page is served as usual (a slow response of 0 ms), the second answers 204.
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            FirstFaults = [FaultKind.SlowResponse, FaultKind.NoContent],
            SlowResponseMs = 0,
        });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "recordPath": "data",
              "pagination": { "type": "page", "sizeParam": "page_size", "size": 10 }, "retry": { "maxAttempts": 1 } }
            """, temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal((2, 0), (server.Requests.Count, run.DeadLetters.Count));
    }
}
