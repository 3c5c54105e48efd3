// Tests of the adaptive limit: slow start, settling under the remembered refusal, probing above it ever more rarely, bounds.
using Etl.Sources.Http;
using Microsoft.Extensions.Time.Testing;

namespace Etl.Core.Tests.Sources.Http;

public sealed class AdaptiveConcurrencyTests
{
    // Every limiter runs on a clock of its own that only a test moves: the quiet start opens the limit after a time.

    /// <summary>A workload with more requests than the limit lets through, as in a real run: each completion
    /// releases the oldest request in flight with a signal, and a waiting one takes its place.</summary>
    private sealed class Demand(AdaptiveConcurrency limiter)
    {
        private readonly Queue<Task<AdaptiveConcurrency.Slot>> _pending = new();

        public async Task CompleteAsync(int count, LoadSignal signal)
        {
            for (var i = 0; i < count; i++)
            {
                while (_pending.Count <= limiter.Limit + 1)
                {
                    _pending.Enqueue(limiter.AcquireAsync(CancellationToken.None).AsTask());
                }
                // Slots are granted first come, first served: the oldest request is in flight.
                limiter.Release(await _pending.Dequeue(), signal);
            }
        }

        /// <summary>Releases every request in flight or waiting, as neutral answers.</summary>
        public async Task DrainAsync()
        {
            while (_pending.TryDequeue(out var next))
            {
                limiter.Release(await next, LoadSignal.Neutral);
            }
        }
    }

    /// <summary>Takes slots until <paramref name="count"/> are in flight; the i-th was granted with i in flight.</summary>
    private static async Task<List<AdaptiveConcurrency.Slot>> FillAsync(AdaptiveConcurrency limiter, int count)
    {
        var slots = new List<AdaptiveConcurrency.Slot>();
        for (var i = 0; i < count; i++)
        {
            slots.Add(await limiter.AcquireAsync(CancellationToken.None));
        }
        return slots;
    }

    /// <summary>A limiter that the server refused at 11 in flight: it settles at 10.</summary>
    private static async Task<AdaptiveConcurrency> RefusedAtElevenAsync()
    {
        var limiter = new AdaptiveConcurrency(50, initialLimit: 12, time: new FakeTimeProvider());
        var slots = await FillAsync(limiter, 11);
        limiter.Release(slots[10], LoadSignal.Overloaded);
        slots.Take(10).ToList().ForEach(s => limiter.Release(s, LoadSignal.Neutral));
        return limiter;
    }

    /// <summary>Healthy responses under full demand until the limiter probes above its remembered refusal; how many it took.</summary>
    private static async Task<int> HealthyUntilProbeAsync(AdaptiveConcurrency limiter)
    {
        var demand = new Demand(limiter);
        var responses = 0;
        while (limiter.RefusedAt is not null && responses < 100_000)
        {
            await demand.CompleteAsync(1, LoadSignal.Healthy);
            responses++;
        }
        await demand.DrainAsync();
        return responses;
    }

    [Fact]
    public void AdaptiveConcurrency_Defaults_ArePinned()
    {
        Assert.Equal(0.5, AdaptiveConcurrency.InitialShare);
        Assert.Equal(TimeSpan.FromMilliseconds(100), AdaptiveConcurrency.QuietStart);
        Assert.Equal(50, AdaptiveConcurrency.ProbeRoundTrips);
        Assert.Equal(3200, AdaptiveConcurrency.MaxProbeRoundTrips);
        Assert.Equal(25, new AdaptiveConcurrency(50, time: new FakeTimeProvider()).Limit);
        Assert.Equal(1, new AdaptiveConcurrency(1, time: new FakeTimeProvider()).Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_AtLimit_QueuesTheNextRequest()
    {
        var limiter = new AdaptiveConcurrency(50, initialLimit: 1, time: new FakeTimeProvider());
        var first = await limiter.AcquireAsync(CancellationToken.None);

        var second = limiter.AcquireAsync(CancellationToken.None).AsTask();
        var queued = !second.IsCompleted;
        limiter.Release(first, LoadSignal.Neutral);

        await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(queued);
        Assert.Equal(1, limiter.InFlight);
    }

    [Fact]
    public async Task AdaptiveConcurrency_HealthyInSlowStart_GrowsByOnePerResponse()
    {
        var limiter = new AdaptiveConcurrency(50, initialLimit: 1, time: new FakeTimeProvider());

        await new Demand(limiter).CompleteAsync(5, LoadSignal.Healthy);

        Assert.Equal(6, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_NothingAnsweredWithinTheQuietStartOfTheFirstConnection_OpensToTheMaximum()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrency(50, time: time);
        await FillAsync(limiter, 25);
        var waiting = Enumerable.Range(0, 30).Select(_ => limiter.AcquireAsync(CancellationToken.None).AsTask()).ToList();
        limiter.Connected();

        time.Advance(AdaptiveConcurrency.QuietStart);

        Assert.Equal(50, limiter.Limit);
        Assert.Equal(25, waiting.Count(w => w.IsCompletedSuccessfully));
        Assert.Equal(50, limiter.InFlight);
    }

    [Fact]
    public async Task AdaptiveConcurrency_SlowFirstConnection_WaitsAsLongAsItTookBeforeOpening()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrency(50, time: time);
        await FillAsync(limiter, 25);
        var startUp = AdaptiveConcurrency.QuietStart * 3;
        time.Advance(startUp);
        limiter.Connected();

        time.Advance(startUp - TimeSpan.FromMilliseconds(1));
        var before = limiter.Limit;
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(25, before);
        Assert.Equal(50, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_BeforeAnyConnection_TheQuietStartDoesNotRun()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrency(50, time: time);
        await FillAsync(limiter, 25);
        var waiting = limiter.AcquireAsync(CancellationToken.None).AsTask();

        time.Advance(AdaptiveConcurrency.QuietStart * 10);

        Assert.Equal(25, limiter.Limit);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task AdaptiveConcurrency_RefusedWithinTheQuietStart_StaysUnderTheRefusal()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrency(50, time: time);
        var slots = await FillAsync(limiter, 25);
        limiter.Connected();
        limiter.Release(slots[^1], LoadSignal.Overloaded);

        time.Advance(AdaptiveConcurrency.QuietStart);

        Assert.Equal(24, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_AnsweredWithinTheQuietStart_GrowsByResponsesOnly()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrency(50, initialLimit: 1, time: time);
        limiter.Connected();
        await new Demand(limiter).CompleteAsync(3, LoadSignal.Healthy);

        time.Advance(AdaptiveConcurrency.QuietStart);

        Assert.Equal(4, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_HealthyWithoutWaiters_DoesNotGrow()
    {
        var limiter = new AdaptiveConcurrency(50, initialLimit: 8, time: new FakeTimeProvider());

        // One request at a time, far below the limit: the limit is not what holds requests back.
        for (var i = 0; i < 10; i++)
        {
            limiter.Release(await limiter.AcquireAsync(CancellationToken.None), LoadSignal.Healthy);
        }

        Assert.Equal(8, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_Refused_SettlesJustUnderTheInFlightCountItWasSentWith()
    {
        var limiter = await RefusedAtElevenAsync();

        Assert.Equal((10, 11), (limiter.Limit, limiter.RefusedAt));
    }

    [Fact]
    public async Task AdaptiveConcurrency_RefusalsOfTheSameRoundSentWithMoreInFlight_ChangeNothing()
    {
        var limiter = new AdaptiveConcurrency(50, initialLimit: 20, time: new FakeTimeProvider());
        var slots = await FillAsync(limiter, 13);

        limiter.Release(slots[10], LoadSignal.Overloaded);
        limiter.Release(slots[11], LoadSignal.Overloaded);
        limiter.Release(slots[12], LoadSignal.Overloaded);

        Assert.Equal((10, 11), (limiter.Limit, limiter.RefusedAt));
    }

    [Fact]
    public async Task AdaptiveConcurrency_RefusalsOfOneBurstInAnyOrder_SettleAtWhatTheServerAccepted()
    {
        var limiter = new AdaptiveConcurrency(50, initialLimit: 20, time: new FakeTimeProvider());
        var slots = await FillAsync(limiter, 20);

        // 20 sent together, 8 refused: the server took 12. Requests reach it in any order, so the refused ones need not
        // be those granted last.
        foreach (var i in new[] { 19, 2, 11, 5, 17, 0, 8, 14 })
        {
            limiter.Release(slots[i], LoadSignal.Overloaded);
        }

        Assert.Equal((12, 13), (limiter.Limit, limiter.RefusedAt));
    }

    [Fact]
    public async Task AdaptiveConcurrency_HealthyAtTheRememberedRefusal_StaysUnderItForProbeRoundTrips()
    {
        var limiter = await RefusedAtElevenAsync();

        await new Demand(limiter).CompleteAsync(AdaptiveConcurrency.ProbeRoundTrips * 10 - 10, LoadSignal.Healthy);

        Assert.Equal((10, 11), (limiter.Limit, limiter.RefusedAt));
    }

    [Fact]
    public async Task AdaptiveConcurrency_HealthyForProbeRoundTrips_ProbesOneAbove()
    {
        var limiter = await RefusedAtElevenAsync();

        var responses = await HealthyUntilProbeAsync(limiter);

        Assert.InRange(responses, AdaptiveConcurrency.ProbeRoundTrips * 10 - 10, AdaptiveConcurrency.ProbeRoundTrips * 10 + 10);
        Assert.Equal(11, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_ProbeRefusedAgain_WaitsTwiceAsLongForTheNext()
    {
        var limiter = await RefusedAtElevenAsync();
        var first = await HealthyUntilProbeAsync(limiter);
        var slots = await FillAsync(limiter, 11);
        limiter.Release(slots[10], LoadSignal.Overloaded);
        slots.Take(10).ToList().ForEach(s => limiter.Release(s, LoadSignal.Neutral));

        var second = await HealthyUntilProbeAsync(limiter);

        Assert.InRange(second, first * 2 - 20, first * 2 + 20);
    }

    [Fact]
    public async Task AdaptiveConcurrency_ManyHealthyResponses_NeverExceedsTheMaximum()
    {
        var limiter = new AdaptiveConcurrency(4, time: new FakeTimeProvider());

        await new Demand(limiter).CompleteAsync(50, LoadSignal.Healthy);

        Assert.Equal(4, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_RepeatedOverload_NeverGoesBelowOne()
    {
        var limiter = new AdaptiveConcurrency(8, time: new FakeTimeProvider());

        await new Demand(limiter).CompleteAsync(20, LoadSignal.Overloaded);

        Assert.Equal(1, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_WaiterCancelled_IsSkipped()
    {
        var limiter = new AdaptiveConcurrency(1, time: new FakeTimeProvider());
        var held = await limiter.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = limiter.AcquireAsync(cancel.Token).AsTask();
        var next = limiter.AcquireAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        limiter.Release(held, LoadSignal.Neutral);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await next.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, limiter.InFlight);
    }
}
