// Runs the shipped HTTP example pipelines (orders-http.json, customer-orders-http.json) against the sample API, as a user would offline.
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;
using Etl.Spec;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpExamplePipelineTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
            {
                return Path.Combine(dir.FullName, relative);
            }
        }
        throw new FileNotFoundException($"no Etl.sln above {AppContext.BaseDirectory}");
    }

    [Fact]
    public async Task OrdersHttpPipeline_AgainstTheSampleApi_WritesThousandOrders()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 5 });
        using var temp = new TestFolder();
        // The example writes under data/lake/; the test writes into its own folder instead.
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("pipelines/orders-http.json")))!;
        spec["sinks"]![0]!["path"] = Path.Combine(temp.Root, "out");
        spec["errors"]!["deadLetterPath"] = Path.Combine(temp.Root, "errors");
        var loaded = SpecLoader.Parse(spec.ToJsonString(), "orders-http.json",
            new Dictionary<string, string> { ["api"] = server.BaseAddress.ToString().TrimEnd('/') });

        var result = await new PipelineRunner().RunAsync(loaded, CancellationToken.None);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (result.Status, result.Error));
        Assert.Equal(1000, result.Written);
        Assert.Equal(1000, result.Requests);
        Assert.InRange(server.MaxInFlight, 1, 50);
        var orders = HttpTestRuns.ReadLongs(Path.Combine(temp.Root, "out"), "order_id");
        Assert.Equal(orders, HttpTestRuns.ReadLongs(Path.Combine(temp.Root, "out"), "requested_id"));
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), orders.Order());
    }

    [Fact]
    public async Task CustomerOrdersHttpPipeline_AgainstTheSampleApi_WritesEveryOrderWithItsCustomer()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 2 });
        using var temp = new TestFolder();
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(RepoFile("pipelines/customer-orders-http.json")))!;
        spec["sinks"]![0]!["path"] = Path.Combine(temp.Root, "out");
        spec["errors"]!["deadLetterPath"] = Path.Combine(temp.Root, "errors");
        var loaded = SpecLoader.Parse(spec.ToJsonString(), "customer-orders-http.json",
            new Dictionary<string, string> { ["api"] = server.BaseAddress.ToString().TrimEnd('/') });

        var result = await new PipelineRunner().RunAsync(loaded, CancellationToken.None);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (result.Status, result.Error));
        Assert.Equal(1000, result.Written);
        Assert.Equal((server.CustomerCount + 49) / 50, result.ParentRequests);
        Assert.InRange(server.MaxInFlight, 1, 16);
        var orders = HttpTestRuns.ReadLongs(Path.Combine(temp.Root, "out"), "order_id");
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), orders.Order());
    }

    [Fact]
    public void OrdersHttpPipeline_AsShipped_TargetsTheSampleApiDefaultAddress()
    {
        var loaded = SpecLoader.Load(RepoFile("pipelines/orders-http.json"));

        var source = Assert.IsType<Etl.Sources.Http.HttpSourceSpec>(loaded.Spec.Source);
        Assert.Equal(SampleApiDefaults.CliUrl, source.BaseUrl);
        Assert.Equal(50, source.Concurrency);
    }
}
