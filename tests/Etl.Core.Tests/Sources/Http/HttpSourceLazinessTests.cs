// Tests that a huge request plan is read lazily: a million endpoints put no more work in the mesh than a few dozen.
using Record = Etl.Records.Record;
using Etl.Runtime;
using Etl.SampleApi;
using Etl.Sources;
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceLazinessTests
{
    private sealed class NullOutput : ISourceOutput
    {
        public ValueTask SendAsync(Record record, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Reject(string origin, string reason, string? raw)
        {
        }

        public void RejectRequest(DeadLetter letter)
        {
        }
    }

    [Fact]
    public async Task HttpSource_MillionEndpoints_QueuesNoMoreThanTwiceTheConcurrency()
    {
        const int Concurrency = 10;
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 600_000, RecordRequests = false });
        var run = HttpTestRuns.Context($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 1000000 } },
              "concurrency": {{Concurrency}} }
            """);
        var source = new HttpSource((HttpSourceSpec)run.Spec.Spec.Source, run);
        using var stop = new CancellationTokenSource();

        var reading = source.ReadAsync(new NullOutput(), stop.Token);
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (server.InFlight < Concurrency || source.Queued < 2 * Concurrency)
            {
                await Task.Delay(10, limit.Token);
            }
        }
        // Every worker is stuck on a slow response: the plan must not be read any further.
        await Task.Delay(200);
        var queued = source.Queued;
        var inFlight = server.InFlight;
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        Assert.Equal(2 * Concurrency, queued);
        Assert.Equal(Concurrency, inFlight);
        Assert.Equal(1_000_000, run.Progress.Total);
    }
}
