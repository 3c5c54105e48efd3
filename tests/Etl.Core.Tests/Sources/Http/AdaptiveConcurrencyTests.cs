// Tests of the AIMD limit: slow start, multiplicative decrease once per round trip, additive growth, bounds.
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class AdaptiveConcurrencyTests
{
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
    }

    [Fact]
    public void AdaptiveConcurrency_Defaults_ArePinned()
    {
        Assert.Equal(1, AdaptiveConcurrency.InitialLimit);
        Assert.Equal(0.75, AdaptiveConcurrency.DecreaseFactor);
        Assert.Equal(1, new AdaptiveConcurrency(50).Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_AtLimit_QueuesTheNextRequest()
    {
        var limiter = new AdaptiveConcurrency(50);
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
        var limiter = new AdaptiveConcurrency(50);

        await new Demand(limiter).CompleteAsync(5, LoadSignal.Healthy);

        Assert.Equal(6, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_HealthyWithoutWaiters_DoesNotGrow()
    {
        var limiter = new AdaptiveConcurrency(50, initialLimit: 8);

        // One request at a time, far below the limit: the limit is not what holds requests back.
        for (var i = 0; i < 10; i++)
        {
            limiter.Release(await limiter.AcquireAsync(CancellationToken.None), LoadSignal.Healthy);
        }

        Assert.Equal(8, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_OverloadFromAWholeWindow_ShrinksOnce()
    {
        var limiter = new AdaptiveConcurrency(50);
        var demand = new Demand(limiter);
        await demand.CompleteAsync(15, LoadSignal.Healthy);

        // The 16 in flight were all sent before the first overload answered: only that one counts.
        await demand.CompleteAsync(16, LoadSignal.Overloaded);

        Assert.Equal(12, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_AfterAnOverload_GrowsByOnePerWindow()
    {
        var limiter = new AdaptiveConcurrency(50);
        var demand = new Demand(limiter);
        await demand.CompleteAsync(15, LoadSignal.Healthy);
        await demand.CompleteAsync(16, LoadSignal.Overloaded);

        await demand.CompleteAsync(13, LoadSignal.Healthy);

        Assert.Equal(13, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_ManyHealthyResponses_NeverExceedsTheMaximum()
    {
        var limiter = new AdaptiveConcurrency(4);

        await new Demand(limiter).CompleteAsync(50, LoadSignal.Healthy);

        Assert.Equal(4, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_RepeatedOverload_NeverGoesBelowOne()
    {
        var limiter = new AdaptiveConcurrency(8);

        await new Demand(limiter).CompleteAsync(20, LoadSignal.Overloaded);

        Assert.Equal(1, limiter.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_WaiterCancelled_IsSkipped()
    {
        var limiter = new AdaptiveConcurrency(1);
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
