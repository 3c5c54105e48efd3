// Tests of how a sharded run splits an http source: by the placeholder values at the root of the request tree.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;
using Etl.Sources.Http;
using Etl.Spec;

namespace Etl.Core.Tests.Sources.Http;

public sealed class RequestPlanShardTests
{
    private static async Task<List<string>> UrlsOfShardAsync(string source, int index, int count)
    {
        using var folder = new TestFolder();
        var loaded = SpecLoader.Parse(HttpTestRuns.Spec(source, folder.Root), "test.json");
        var run = TestRun.Context(loaded, folder.PathOf("errors"), shard: new Shard(index, count, "r1"));
        var plan = new RequestPlan((HttpSourceSpec)loaded.Spec.Source, run);
        var urls = new List<string>();
        await foreach (var values in plan.EnumerateAsync(CancellationToken.None))
        {
            urls.Add(plan.Build(values).Url.ToString());
        }
        return urls;
    }

    [Fact]
    public async Task RequestPlan_InFourShards_SplitsTheCombinationsWithoutOverlapOrLoss()
    {
        const string source = """{ "type": "http", "baseUrl": "http://h", "path": "/{a}/{b}", "values": { "a": { "from": 1, "to": 50 }, "b": ["x", "y"] } }""";

        var shards = new List<List<string>>();
        for (var i = 0; i < 4; i++)
        {
            shards.Add(await UrlsOfShardAsync(source, i, 4));
        }

        Assert.Equal(100, shards.Sum(s => s.Count));
        Assert.Equal(100, shards.SelectMany(s => s).Distinct().Count());
        Assert.All(shards, s => Assert.InRange(s.Count, 10, 40));
    }

    [Fact]
    public async Task HttpSource_ParentRequestsInFourShards_FetchEachParentOnceAndItsChildrenInTheSameShard()
    {
        await using var api = await SampleApiServer.StartAsync(new SampleApiOptions());
        var source = $$"""
            { "type": "http", "baseUrl": "{{api.BaseAddress.ToString().TrimEnd('/')}}", "path": "/customers/{customer}/orders",
              "values": { "customer": { "request": { "path": "/orders/{o}", "values": { "o": { "from": 1, "to": 40 } }, "recordPath": "data", "field": "customer.id" } } },
              "recordPath": "data" }
            """;
        using var single = new TestFolder();
        var whole = await HttpTestRuns.RunAsync(source, single.Root);
        var wholeRequests = api.Requests.Select(r => r.PathAndQuery).Order(StringComparer.Ordinal).ToList();
        api.ClearRequests();

        var rows = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var folder = new TestFolder();
            var run = await HttpTestRuns.RunAsync(source, folder.Root, options: new RunOptions { Seed = 7, Shard = new Shard(i, 4, "r1") });
            Assert.Equal(RunStatus.Succeeded, run.Result.Status);
            // A shard commits nothing: its files wait where the run wrote them.
            var files = run.Result.Sinks[0].Files.Select(f => DuckDb.Quote(f.StagingPath)).ToList();
            if (files.Count > 0)
            {
                rows.AddRange(DuckDb.Column($"SELECT order_id FROM read_parquet([{string.Join(", ", files)}])").Select(v => v!));
            }
        }

        Assert.Equal(HttpTestRuns.ReadStrings(whole.Sink, "order_id").Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
        Assert.Equal(wholeRequests, api.Requests.Select(r => r.PathAndQuery).Order(StringComparer.Ordinal));
        Assert.Equal(40, api.Requests.Count(r => r.PathAndQuery.StartsWith("/orders/", StringComparison.Ordinal)));
    }
}
