// Tests of the requestsPerSecond token bucket: its shape, and that a run never starts more than it allows.
using System.Threading.RateLimiting;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class RequestRateTests
{
    [Fact]
    public void RequestRate_NoLimit_HasNoBucket()
    {
        Assert.Null(RequestRate.Create(null));
    }

    [Theory]
    [InlineData(200, 10, 50)]
    [InlineData(20, 1, 50)]
    [InlineData(0.5, 1, 2000)]
    public void RequestRate_Create_RefillsSmallSlicesOften(double perSecond, long tokens, int periodMs)
    {
        using var limiter = (TokenBucketRateLimiter)RequestRate.Create(perSecond)!;

        Assert.Equal(tokens, limiter.GetStatistics()!.CurrentAvailablePermits);
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), limiter.ReplenishmentPeriod);
    }

    [Fact]
    public async Task HttpSource_RequestsPerSecond_NeverStartsMoreInAnyHalfSecond()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        // A cold server holds its first requests while it compiles its request path, then answers them all at once:
        // that bunching is the test server's, not the client's, so the server answers once before the run.
        using (var warm = new HttpClient())
        {
            await warm.GetStringAsync(new Uri(server.BaseAddress, "/orders/1"));
        }
        server.ClearRequests();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 60 } },
              "recordPath": "data", "concurrency": 20, "requestsPerSecond": 40 }
            """, temp.Root);

        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        var arrivals = server.Requests.Select(r => r.ReceivedAt).Order().ToList();
        // 40/s is 20 per half second, plus the 2 tokens the bucket may hold; arrivals may bunch a little on the way.
        var busiest = arrivals.Max(a => arrivals.Count(b => b >= a && b < a.AddMilliseconds(500)));
        Assert.InRange(busiest, 1, 30);
    }
}
