// The progress an HTTP source reports, from which the CLI shows done/planned and the time left.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceProgressTests
{
    [Fact]
    public async Task HttpSource_RangeOfValues_ReportsRequestsDoneOfPlanned()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        RunContext? context = null;

        await HttpTestRuns.RunAsync($$"""{ "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 20 } } }""",
            temp.Root, options: new RunOptions { Seed = 7, OnStart = r => context = r });

        Assert.Equal(("requests", (long?)20, 20L), (context!.Progress.Unit, context.Progress.Total, context.Progress.Done));
    }

    [Fact]
    public async Task HttpSource_OffsetWithTotalPath_ReportsRecordsDoneOfTheServersTotal()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        RunContext? context = null;

        await HttpTestRuns.RunAsync($$"""{ "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "recordPath": "data", "pagination": { "type": "offset", "limit": 75, "totalPath": "total" } }""",
            temp.Root, options: new RunOptions { Seed = 7, OnStart = r => context = r });

        Assert.Equal(("records", (long?)1000, 1000L), (context!.Progress.Unit, context.Progress.Total, context.Progress.Done));
    }
}
