// End-to-end tests of value sets fed by parent requests, against the sample API on Kestrel: every child once, with its
// parent's key and carried fields, streamed while the parents page, under one concurrency limit, failures accounted for.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceParentRequestTests
{
    private const string CarriedColumns = """
        { "order_id": "id", "customer_id": "customer.id", "requested": "$request.id",
          "name": "customer.name", "parent_name": "$parent.name", "country": "customer.country", "parent_country": "$parent.country" }
        """;

    private static string CustomerOrders(SampleApiServer server, string parent, int concurrency = 8, string retry = "{}") => $$"""
        { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/customers/{id}/orders", "recordPath": "data",
          "values": { "id": { "request": {{parent}} } }, "concurrency": {{concurrency}}, "retry": {{retry}} }
        """;

    /// <summary>The customer ids of the child requests the server received, in order.</summary>
    private static List<int> ChildIds(SampleApiServer server) =>
        [.. server.Requests.Where(r => IsChild(r.PathAndQuery))
            .Select(r => int.Parse(r.PathAndQuery.Split('/')[2], System.Globalization.CultureInfo.InvariantCulture)).Order()];

    private const string Listing = """
        { "path": "/customers", "query": { "page_size": "50" }, "pagination": { "type": "linkHeader" }, "recordPath": "data",
          "field": "id", "carry": ["name", "country"] }
        """;

    private static int Count(SampleApiServer server, Func<string, bool> path) => server.Requests.Count(r => path(r.PathAndQuery));

    private static bool IsChild(string path) => path.StartsWith("/customers/", StringComparison.Ordinal) && path.EndsWith("/orders", StringComparison.Ordinal);

    private static bool IsListing(string path) => path.StartsWith("/customers?", StringComparison.Ordinal);

    [Fact]
    public async Task HttpSource_ParentListing_FetchesEveryChildOnceWithKeyAndCarriedFields()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(CustomerOrders(server, Listing), temp.Root, CarriedColumns);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal(["0"], HttpTestRuns.ReadStrings(run.Sink,
            "count(*) FILTER (WHERE customer_id <> CAST(requested AS BIGINT) OR name <> parent_name OR country <> parent_country)"));
        Assert.Equal(Enumerable.Range(1, server.CustomerCount), ChildIds(server));
    }

    [Fact]
    public async Task HttpSource_ParentListing_CountsParentAndChildRequestsApart()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(CustomerOrders(server, Listing), temp.Root, CarriedColumns);

        var pages = (server.CustomerCount + 49) / 50;
        Assert.Equal((pages, (long)server.CustomerCount + pages), (Count(server, IsListing), run.Result.Requests));
        Assert.Equal(pages, run.Result.ParentRequests);
        Assert.Contains($"of which parent {pages} (failed 0, records without key 0) and child {server.CustomerCount}", run.Result.SummaryLine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_ParentListing_FetchesChildrenWhileParentsStillPage()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 2 });
        using var temp = new TestFolder();
        var listing = Listing.Replace("\"50\"", "\"10\"", StringComparison.Ordinal);

        await HttpTestRuns.RunAsync(CustomerOrders(server, listing), temp.Root, CarriedColumns);

        var firstChild = server.Requests.Where(r => IsChild(r.PathAndQuery)).Min(r => r.ReceivedAt);
        var lastListingPage = server.Requests.Where(r => IsListing(r.PathAndQuery)).Max(r => r.ReceivedAt);
        Assert.True(firstChild < lastListingPage, $"first child request at {firstChild:O}, last parent page at {lastListingPage:O}");
    }

    [Fact]
    public async Task HttpSource_ParentsWithValuesOfTheirOwn_StayUnderConcurrencyTogetherWithChildren()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 5 });
        using var temp = new TestFolder();
        var parents = $$"""
            { "path": "/customers", "query": { "page": "{p}", "page_size": "10" }, "recordPath": "data", "field": "id",
              "values": { "p": { "from": 1, "to": {{(server.CustomerCount + 9) / 10}} } } }
            """;

        var run = await HttpTestRuns.RunAsync(CustomerOrders(server, parents, concurrency: 4), temp.Root);

        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.Equal(1000, run.Result.Written);
        Assert.InRange(server.MaxInFlight, 2, 4);
    }

    [Fact]
    public async Task HttpSource_FailedParentRequest_IsDeadLetteredAndItsChildrenNotRequested()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { AlwaysFailingCustomerPages = new HashSet<int> { 3 } });
        using var temp = new TestFolder();
        var parents = $$"""
            { "path": "/customers", "query": { "page": "{p}", "page_size": "50" }, "recordPath": "data", "field": "id",
              "values": { "p": { "from": 1, "to": {{(server.CustomerCount + 49) / 50}} } } }
            """;

        var run = await HttpTestRuns.RunAsync(CustomerOrders(server, parents, retry: """{ "maxAttempts": 1 }"""), temp.Root, maxFailedRequests: 0);

        Assert.Equal(RunStatus.TooManyFailures, run.Result.Status);
        Assert.Equal((1L, 1L), (run.Result.FailedRequests, run.Result.FailedParentRequests));
        var letter = Assert.Single(run.DeadLetters);
        Assert.EndsWith("/customers?page=3&page_size=50", letter.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("parent request: GET ", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, server.CustomerCount).Where(i => i is < 101 or > 150), ChildIds(server));
    }

    [Fact]
    public async Task HttpSource_ParentRecordsWithoutKey_AreCountedAndSkipped()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        var parents = """{ "path": "/customers", "query": { "page_size": "1000" }, "recordPath": "data", "field": "referrer.id" }""";

        var run = await HttpTestRuns.RunAsync(CustomerOrders(server, parents), temp.Root);

        var withoutReferrer = server.CustomerCount / 10; // the sample API gives every tenth customer "referrer": null
        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.Equal(withoutReferrer, run.Result.ParentRecordsWithoutKey);
        Assert.Equal(server.CustomerCount - withoutReferrer, Count(server, IsChild));
    }

    [Fact]
    public async Task HttpSource_GrandchildRequests_CarryEveryAncestorKey()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        var source = $$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{order}", "recordPath": "data",
              "values": { "order": { "request": {
                "path": "/customers/{customer}/orders", "recordPath": "data", "field": "id", "carry": ["status"],
                "values": { "customer": { "request": { "path": "/customers", "query": { "page_size": "100" }, "recordPath": "data",
                  "pagination": { "type": "page", "sizeParam": "page_size", "size": 100, "stopOnShortPage": true },
                  "field": "id", "carry": ["name"] } } } } } } }
            """;

        var run = await HttpTestRuns.RunAsync(source, temp.Root, """
            { "order_id": "id", "customer_id": "customer.id", "requested_order": "$request.order", "requested_customer": "$request.customer",
              "status": "status", "parent_status": "$parent.status", "name": "customer.name", "grandparent_name": "$parent.name" }
            """);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal(["0"], HttpTestRuns.ReadStrings(run.Sink,
            "count(*) FILTER (WHERE order_id <> CAST(requested_order AS BIGINT) OR customer_id <> CAST(requested_customer AS BIGINT) "
            + "OR status <> parent_status OR name <> grandparent_name)"));
    }

    [Fact]
    public async Task HttpSource_ChunkedParentValues_JoinIdsIntoOneChildRequest()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        var source = $$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/customers/orders", "query": { "ids": "{ids}" }, "recordPath": "data",
              "values": { "ids": { "request": { "path": "/customers", "query": { "page_size": "100" }, "recordPath": "data",
                "pagination": { "type": "page", "sizeParam": "page_size", "size": 100, "totalPagesPath": "total_pages" },
                "field": "id", "chunk": 40 } } } }
            """;

        var run = await HttpTestRuns.RunAsync(source, temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        // Chunks fill across the pages of one parent request: only the last one is short.
        Assert.Equal((server.CustomerCount + 39) / 40, Count(server, p => p.StartsWith("/customers/orders?ids=", StringComparison.Ordinal)));
    }
}
