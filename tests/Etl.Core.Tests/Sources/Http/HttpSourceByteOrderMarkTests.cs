// End-to-end tests of JSON bodies that start with a UTF-8 byte order mark (RFC 8259 lets a parser ignore it): read as if it were not there.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceByteOrderMarkTests
{
    private static Task<SampleApiServer> MarkEveryBodyAsync() =>
        SampleApiServer.StartAsync(new SampleApiOptions { TransientFailureRate = 1, Faults = [FaultKind.ByteOrderMark] });

    [Fact]
    public async Task HttpSource_BodiesWithAByteOrderMark_AreReadOnTheFirstAttempt()
    {
        await using var server = await MarkEveryBodyAsync();
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}",
              "values": { "id": { "from": 1, "to": 5 } }, "recordPath": "data", "retry": { "maxAttempts": 1 } }
            """, temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal(5, server.TotalRequests);
    }

    [Fact]
    public async Task HttpSource_LargeBodyWithAByteOrderMark_IsReadWhole()
    {
        await using var server = await MarkEveryBodyAsync();
        using var temp = new TestFolder();

        // 60,000 records make a 4.8 MB body, over what is parsed in memory: it is checked on a scratch file.
        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/export", "query": { "count": "60000" },
              "recordPath": "data", "retry": { "maxAttempts": 1 } }
            """, temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(60_000, run.Result.Written);
        Assert.Equal(1, server.TotalRequests);
    }
}
