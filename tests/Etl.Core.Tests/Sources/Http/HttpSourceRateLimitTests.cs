// End-to-end tests of server-requested waits on a fake clock shared by the sample API and the run:
// Retry-After and exhausted rate limits hold back every request to the host, for exactly as long as asked.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceRateLimitTests
{
    private const int Concurrency = 4;

    /// <summary>Runs a spec on a fake clock, moving the clock only once client and server are both idle.</summary>
    private sealed class FakeClockRun(SampleApiServer server, FakeTimeProvider time)
    {
        private readonly GateLog _log = new(time);
        private RunContext? _run;

        public RunOptions Options => new() { Time = time, Seed = 7, Logger = _log, OnStart = run => _run = run };

        /// <summary>When the source closed the host gate, by the fake clock.</summary>
        public IReadOnlyList<DateTimeOffset> GateClosedAt => _log.ClosedAt;

        /// <summary>Returns once nothing has moved for a while: every request is waiting on the fake clock.</summary>
        public async Task<bool> QuietAsync(Task finished)
        {
            var last = -1L;
            var stable = 0;
            while (stable < 6)
            {
                if (finished.IsCompleted)
                {
                    return false;
                }
                await Task.Delay(50);
                var requests = server.TotalRequests;
                var idle = server.InFlight == 0 && (_run?.Counters.InFlight ?? 0) == 0;
                stable = idle && requests == last ? stable + 1 : 0;
                last = requests;
            }
            return true;
        }
    }

    /// <summary>Notes the fake time of each "holding back every request" message of the source.</summary>
    private sealed class GateLog(TimeProvider time) : ILogger
    {
        private readonly List<DateTimeOffset> _closedAt = [];

        public IReadOnlyList<DateTimeOffset> ClosedAt
        {
            get
            {
                lock (_closedAt)
                {
                    return [.. _closedAt];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (formatter(state, exception).Contains("holding back every request", StringComparison.Ordinal))
            {
                lock (_closedAt)
                {
                    _closedAt.Add(time.GetUtcNow());
                }
            }
        }
    }

    [Fact]
    public async Task HttpSource_RetryAfter_HoldsBackEveryRequestToTheHostUntilItPasses()
    {
        // Each reading of the clock moves it by a tick, so the server's arrival times give the order of requests.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.FromTicks(1) };
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            TransientFailureRate = 0.2,
            Faults = [FaultKind.TooManyRequests],
            RetryAfterSeconds = 30,
            TimeProvider = time,
            Seed = 5,
        });
        using var temp = new TestFolder();
        var clock = new FakeClockRun(server, time);
        var run = HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 20 } },
              "recordPath": "data", "concurrency": {{Concurrency}}, "timeoutSeconds": 3600, "retry": { "maxAttempts": 20 } }
            """, temp.Root, options: clock.Options);

        var sentWhileHeld = 0L;
        for (var round = 0; round < 50 && await clock.QuietAsync(run); round++)
        {
            var before = server.TotalRequests;
            time.Advance(TimeSpan.FromSeconds(29));
            await clock.QuietAsync(run);
            sentWhileHeld += server.TotalRequests - before;
            time.Advance(TimeSpan.FromSeconds(1));
        }
        var result = await run.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal((RunStatus.Succeeded, (string?)null), (result.Result.Status, result.Result.Error));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), HttpTestRuns.ReadLongs(result.Sink, "order_id").Order());
        Assert.Equal(0, sentWhileHeld);
        // Once the client has closed the gate, only requests already on their way (concurrency - 1 at most) reach the
        // server before Retry-After has passed.
        var requests = server.Requests;
        Assert.Contains(requests, r => r.Status == 429);
        Assert.NotEmpty(clock.GateClosedAt);
        Assert.All(clock.GateClosedAt, closed => Assert.InRange(
            requests.Count(r => r.ReceivedAt > closed && r.ReceivedAt < closed + TimeSpan.FromSeconds(29)), 0, Concurrency - 1));
    }

    [Fact]
    public async Task HttpSource_RateLimitRemainingZero_WaitsForTheResetAndLosesNothing()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            RateLimit = new RateLimitHeaders(Limit: 5, WindowSeconds: 60),
            TimeProvider = time,
        });
        using var temp = new TestFolder();
        var clock = new FakeClockRun(server, time);
        var run = HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 20 } },
              "recordPath": "data", "concurrency": {{Concurrency}}, "timeoutSeconds": 3600, "retry": { "maxAttempts": 10 } }
            """, temp.Root, options: clock.Options);

        for (var round = 0; round < 50 && await clock.QuietAsync(run); round++)
        {
            time.Advance(TimeSpan.FromSeconds(60));
        }
        var result = await run.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal((RunStatus.Succeeded, (string?)null), (result.Result.Status, result.Result.Error));
        Assert.Equal(20, HttpTestRuns.ReadLongs(result.Sink, "order_id").Distinct().Count());
        // Four windows of five: the client used every window and never kept knocking once a window was spent.
        Assert.Equal(4, server.Requests.Where(r => r.Status == 200).Select(r => r.ReceivedAt).Distinct().Count());
        Assert.All(server.Requests.GroupBy(r => r.ReceivedAt), g => Assert.InRange(g.Count(r => r.Status == 429), 0, Concurrency - 1));
    }

    [Fact]
    public async Task HttpSource_RetryAfterAsHttpDate_WaitsUntilThatDate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero));
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            FirstFaults = [FaultKind.TooManyRequests],
            RetryAfterSeconds = 30,
            RetryAfterAsDate = true,
            TimeProvider = time,
        });
        using var temp = new TestFolder();
        var clock = new FakeClockRun(server, time);
        var run = HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/1", "recordPath": "data",
              "timeoutSeconds": 3600, "retry": { "maxAttempts": 2, "maxDelayMs": 600000 } }
            """, temp.Root, options: clock.Options);

        Assert.True(await clock.QuietAsync(run));
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(await clock.QuietAsync(run));
        var heldBack = server.TotalRequests;
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal((RunStatus.Succeeded, (string?)null), (result.Result.Status, result.Result.Error));
        Assert.Equal((1L, 2L), (heldBack, server.TotalRequests));
    }
}
