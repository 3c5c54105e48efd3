// End-to-end test of adaptive concurrency against a server that answers 429 above 10 requests in flight.
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceAdaptiveConcurrencyTests
{
    private const int ServerLimit = 10;

    [Fact]
    public async Task HttpSource_AdaptiveConcurrency_SettlesAtTheServerLimitWithFewRefusalsAndLosesNothing()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            MaxInFlightBefore429 = ServerLimit,
            RetryAfterSeconds = 0,
            LatencyMs = 10,
        });
        using var temp = new TempFolder();
        RunContext? context = null;
        var samples = new List<long>();
        using var stop = new CancellationTokenSource();
        var run = HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 1000 } },
              "recordPath": "data", "concurrency": 50, "adaptiveConcurrency": true, "retry": { "maxAttempts": 10, "baseDelayMs": 10 } }
            """, temp.Path, options: new RunOptions { Seed = 7, OnStart = c => context = c });
        // Requests in flight, sampled while the run lasts: a picture of where it spends its time.
        while (!run.IsCompleted)
        {
            await Task.Delay(2);
            if (context?.Counters.InFlight is > 0 and var n)
            {
                samples.Add(n);
            }
        }
        var result = await run;

        Assert.Equal((RunStatus.Succeeded, (string?)null), (result.Result.Status, result.Result.Error));
        Assert.Empty(result.DeadLetters);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), HttpTestRuns.ReadLongs(result.Sink, "order_id").Order());
        var near = samples.Count(n => n is >= ServerLimit - 3 and <= ServerLimit + 1);
        var tooMany = server.Requests.Count(r => r.Status == 429);
        Assert.True(near * 2 > samples.Count, $"{near} of {samples.Count} samples had {ServerLimit - 3} to {ServerLimit + 1} requests in flight");
        Assert.True(tooMany * 20 < server.Requests.Count, $"{tooMany} of {server.Requests.Count} requests got 429");
    }
}
