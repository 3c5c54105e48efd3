// Tests that a parent listing is read no further ahead than the children consume: 100,000 parents, a bounded read-ahead.
using Etl.Runtime;
using Etl.SampleApi;
using Etl.Sources;
using Etl.Sources.Http;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceParentMemoryTests
{
    /// <summary>A mesh that takes no record: every send waits until the run is cancelled.</summary>
    private sealed class StalledOutput : ISourceOutput
    {
        public ValueTask SendAsync(Record record, CancellationToken cancellationToken) => new(Task.Delay(Timeout.Infinite, cancellationToken));

        public void Reject(string origin, string reason, string? raw)
        {
        }

        public void RejectRequest(DeadLetter letter)
        {
        }
    }

    [Fact]
    public async Task HttpSource_HundredThousandParentsAndAStalledMesh_ReadsAFewParentPagesOnly()
    {
        const int Concurrency = 4, PageSize = 100;
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { OrderCount = 151_000 });
        Assert.InRange(server.CustomerCount, 100_000, 110_000);
        var run = HttpTestRuns.Context($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/customers/{id}/orders", "recordPath": "data", "concurrency": {{Concurrency}},
              "values": { "id": { "request": { "path": "/customers", "query": { "page_size": "{{PageSize}}" }, "recordPath": "data",
                "pagination": { "type": "linkHeader" }, "field": "id", "carry": ["name"] } } } }
            """);
        var source = new HttpSource((HttpSourceSpec)run.Spec.Spec.Source, run);
        using var stop = new CancellationTokenSource();

        var reading = source.ReadAsync(new StalledOutput(), stop.Token);
        var pages = await SettledAsync(() => server.Requests.Count(r => r.PathAndQuery.StartsWith("/customers?", StringComparison.Ordinal)));
        var buffered = source.MaxParentValuesBuffered;
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        // Held: the channel, the value its one parent request waits to write, and the one the plan is taking out of it.
        Assert.InRange(buffered, 1, RequestValueSet.Buffered + 2);
        // Pages read: the channel's worth, the page being handed over, and what the fetch and emit stages hold.
        Assert.InRange(pages, 1, (RequestValueSet.Buffered + PageSize + 4 * Concurrency) / PageSize + 1);
        Assert.True(pages * PageSize < server.CustomerCount / 100, $"{pages} pages of {PageSize} read of {server.CustomerCount} parents");
    }

    /// <summary>Waits until <paramref name="count"/> has not moved for half a second, and returns it.</summary>
    private static async Task<int> SettledAsync(Func<int> count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var last = -1;
        while (true)
        {
            await Task.Delay(500, limit.Token);
            var now = count();
            if (now == last && now > 0)
            {
                return now;
            }
            last = now;
        }
    }
}
