// Tests of the connections opened ahead of the first requests: how many, which are handed out, and that none is left open.
using System.Net;
using System.Net.Sockets;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;
using Etl.Sources.Http;
using Etl.Spec;
using Microsoft.Extensions.Time.Testing;

namespace Etl.Core.Tests.Sources.Http;

public sealed class PreconnectionsTests
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private static int CountFor(string source, Shard? shard = null)
    {
        using var folder = new TestFolder();
        var loaded = SpecLoader.Parse(HttpTestRuns.Spec(source, folder.Root), "test.json");
        var run = TestRun.Context(loaded, folder.PathOf("errors"), shard: shard);
        return Preconnections.CountFor((HttpSourceSpec)loaded.Spec.Source, run);
    }

    private static string Source(string values, string extra = "") =>
        $$"""{ "type": "http", "baseUrl": "http://127.0.0.1:1", "path": "/o/{id}", "values": { {{values}} }, "concurrency": 50{{extra}} }""";

    [Fact]
    public void CountFor_ManyRequests_IsTheConcurrency() =>
        Assert.Equal(50, CountFor(Source("""  "id": { "from": 1, "to": 1000 } """)));

    [Fact]
    public void CountFor_FewerRequestsThanConcurrency_IsTheNumberOfRequests() =>
        Assert.Equal(3, CountFor(Source("""  "id": [1, 2, 3] """)));

    [Fact]
    public void CountFor_OneRequest_IsOne() =>
        Assert.Equal(1, CountFor("""{ "type": "http", "baseUrl": "http://127.0.0.1:1", "path": "/orders", "concurrency": 50 }"""));

    [Fact]
    public void CountFor_AdaptiveConcurrency_IsTheLimitItStartsAt() =>
        Assert.Equal(AdaptiveConcurrency.InitialLimitFor(50), CountFor(Source("""  "id": { "from": 1, "to": 1000 } """, """, "adaptiveConcurrency": true""")));

    [Fact]
    public void CountFor_RequestsPerSecond_IsTheFirstSecondsRequests() =>
        Assert.Equal(5, CountFor(Source("""  "id": { "from": 1, "to": 1000 } """, """, "requestsPerSecond": 4.5""")));

    [Fact]
    public void CountFor_ValuesFedByAParentRequest_IsOneForTheParent() =>
        Assert.Equal(1, CountFor(Source("""  "id": { "request": { "path": "/orders", "field": "id" } } """)));

    [Fact]
    public void CountFor_ValuesReadFromAFile_IsTheConcurrency() =>
        Assert.Equal(50, CountFor(Source("""  "id": { "file": "ids.csv", "column": "id" } """)));

    [Fact]
    public void CountFor_Shard_IsItsShareOfTheRequests() =>
        Assert.Equal(10, CountFor(Source("""  "id": { "from": 1, "to": 40 } """), new Shard(0, 4, "r1")));

    [Fact]
    public async Task HttpSource_FewerRequestsThanConcurrency_OpensNoMoreConnectionsThanRequests()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 20 });
        using var temp = new TestFolder();
        var source = $$"""{ "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": [1, 2, 3] }, "recordPath": "data", "concurrency": 50 }""";

        var run = await HttpTestRuns.RunAsync(source, temp.Root);

        Assert.Equal((RunStatus.Succeeded, 3L), (run.Result.Status, run.Result.Written));
        Assert.InRange(server.ConnectionCount, 1, 3);
    }

    [Fact]
    public async Task TakeAsync_OpensTheConnectionsBeforeTheyAreTaken()
    {
        using var listener = Listen();
        using var preconnections = new Preconnections(EndPointOf(listener), 2, ConnectTimeout, TimeProvider.System);

        using var first = await listener.AcceptSocketAsync();
        using var second = await listener.AcceptSocketAsync();
        using var taken = await preconnections.TakeAsync(EndPointOf(listener), CancellationToken.None);

        Assert.NotNull(taken);
        Assert.True(taken.Connected);
    }

    [Fact]
    public async Task TakeAsync_AllTaken_ReturnsNullSoTheCallerConnects()
    {
        using var listener = Listen();
        using var preconnections = new Preconnections(EndPointOf(listener), 1, ConnectTimeout, TimeProvider.System);
        using var taken = await preconnections.TakeAsync(EndPointOf(listener), CancellationToken.None);

        Assert.NotNull(taken);
        Assert.Null(await preconnections.TakeAsync(EndPointOf(listener), CancellationToken.None));
    }

    [Fact]
    public async Task TakeAsync_ConnectionTheServerClosed_IsNotHandedOut()
    {
        using var listener = Listen();
        using var preconnections = new Preconnections(EndPointOf(listener), 1, ConnectTimeout, TimeProvider.System);
        using (var accepted = await listener.AcceptSocketAsync())
        {
            accepted.Shutdown(SocketShutdown.Both);
        }
        await Task.Delay(50); // the FIN reaches the client side

        Assert.Null(await preconnections.TakeAsync(EndPointOf(listener), CancellationToken.None));
    }

    [Fact]
    public async Task TakeAsync_ConnectionOlderThanMaxAge_IsNotHandedOut()
    {
        using var listener = Listen();
        var time = new FakeTimeProvider();
        var (preconnections, accepted) = await OpenOneAsync(listener, time);
        using (preconnections)
        using (accepted)
        {
            time.Advance(Preconnections.MaxAge);

            Assert.Null(await preconnections.TakeAsync(EndPointOf(listener), CancellationToken.None));
        }
    }

    [Fact]
    public async Task TakeAsync_OtherEndPoint_GetsNothingAndLeavesTheConnections()
    {
        using var listener = Listen();
        using var preconnections = new Preconnections(EndPointOf(listener), 1, ConnectTimeout, TimeProvider.System);

        Assert.Null(await preconnections.TakeAsync(new DnsEndPoint("127.0.0.1", EndPointOf(listener).Port + 1), CancellationToken.None));
        using var taken = await preconnections.TakeAsync(EndPointOf(listener), CancellationToken.None);
        Assert.NotNull(taken);
    }

    [Fact]
    public async Task TakeAsync_NothingListening_ReturnsNullWithoutThrowing()
    {
        int port;
        using (var listener = Listen())
        {
            port = EndPointOf(listener).Port;
        }
        using var preconnections = new Preconnections(new DnsEndPoint("127.0.0.1", port), 2, ConnectTimeout, TimeProvider.System);

        Assert.Null(await preconnections.TakeAsync(new DnsEndPoint("127.0.0.1", port), CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_ClosesTheConnectionsNeverTaken()
    {
        using var listener = Listen();
        var preconnections = new Preconnections(EndPointOf(listener), 1, ConnectTimeout, TimeProvider.System);
        using var accepted = await listener.AcceptSocketAsync();

        preconnections.Dispose();

        var received = await accepted.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, received);
    }

    [Fact]
    public async Task Expiry_ClosesTheConnectionsNotTakenInTime()
    {
        using var listener = Listen();
        var time = new FakeTimeProvider();
        var (preconnections, accepted) = await OpenOneAsync(listener, time);
        using (preconnections)
        using (accepted)
        {
            time.Advance(Preconnections.MaxAge + ConnectTimeout);

            var received = await accepted.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(0, received);
        }
    }

    /// <summary>One connection opened ahead on <paramref name="time"/>, and the server's side of it.</summary>
    private static async Task<(Preconnections Preconnections, Socket Accepted)> OpenOneAsync(TcpListener listener, FakeTimeProvider time)
    {
        var preconnections = new Preconnections(EndPointOf(listener), 1, ConnectTimeout, time);
        var accepted = await listener.AcceptSocketAsync();
        await Task.Delay(50); // the client side has seen its connect complete
        return (preconnections, accepted);
    }

    private static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static DnsEndPoint EndPointOf(TcpListener listener) => new("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
}
