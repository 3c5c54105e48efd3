// An AIMD limit on requests in flight: grows by one per window of healthy responses, shrinks by a factor on 429/503/timeouts.
namespace Etl.Sources.Http;

/// <summary>What a finished request says about the server's load.</summary>
internal enum LoadSignal { Healthy, Overloaded, Neutral }

internal sealed class AdaptiveConcurrency
{
    /// <summary>The limit starts here and doubles each round trip (slow start) until the first overload.</summary>
    public const int InitialLimit = 1;

    /// <summary>The limit is multiplied by this on an overload signal.</summary>
    public const double DecreaseFactor = 0.75;

    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly int _max;
    private double _limit;
    private int _inFlight;
    private long _epoch;
    private bool _slowStart = true;

    public AdaptiveConcurrency(int max, int initialLimit = InitialLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialLimit, 1);
        _max = max;
        _limit = Math.Min(initialLimit, max);
    }

    /// <summary>The current limit on requests in flight, between 1 and the source's concurrency.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return (int)_limit;
            }
        }
    }

    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits for a slot under the current limit.</summary>
    public ValueTask<Slot> AcquireAsync(CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            while (_waiters.TryPeek(out var head) && head.IsCancelled)
            {
                _waiters.Dequeue();
            }
            if (_inFlight < (int)_limit && _waiters.Count == 0)
            {
                _inFlight++;
                return ValueTask.FromResult(new Slot(_epoch));
            }
            waiter = new Waiter();
            _waiters.Enqueue(waiter);
        }
        return new ValueTask<Slot>(waiter.WaitAsync(cancellationToken));
    }

    /// <summary>Gives the slot back with what its response said about the server.</summary>
    public void Release(Slot slot, LoadSignal signal)
    {
        List<(Waiter Waiter, Slot Slot)>? wake = null;
        lock (_lock)
        {
            var saturated = _inFlight >= (int)_limit || _waiters.Count > 0;
            _inFlight--;
            if (signal == LoadSignal.Overloaded && slot.Epoch == _epoch)
            {
                // One decrease per round trip: signals from requests sent before the last decrease are stale.
                _limit = Math.Max(1, Math.Min(_limit, _inFlight + 1) * DecreaseFactor);
                _epoch++;
                _slowStart = false;
            }
            else if (signal == LoadSignal.Healthy && saturated)
            {
                // Grow only while the limit is what holds requests back.
                _limit = Math.Min(_max, _limit + (_slowStart ? 1 : 1 / _limit));
            }
            while (_inFlight < (int)_limit && _waiters.TryDequeue(out var next))
            {
                if (next.TryClaim())
                {
                    _inFlight++;
                    (wake ??= []).Add((next, new Slot(_epoch)));
                }
            }
        }
        foreach (var (waiter, granted) in wake ?? [])
        {
            waiter.Grant(granted);
        }
    }

    internal readonly record struct Slot(long Epoch);

    private sealed class Waiter
    {
        private readonly TaskCompletionSource<Slot> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _state; // 0 waiting, 1 claimed by Release, 2 cancelled

        public bool TryClaim() => Interlocked.CompareExchange(ref _state, 1, 0) == 0;

        public bool IsCancelled => Volatile.Read(ref _state) == 2;

        public void Grant(Slot slot) => _tcs.TrySetResult(slot);

        public async Task<Slot> WaitAsync(CancellationToken cancellationToken)
        {
            // A cancelled waiter stays queued but can no longer be claimed: Release and Acquire skip it.
            await using var registration = cancellationToken.Register(() =>
            {
                if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
                {
                    _tcs.TrySetCanceled(cancellationToken);
                }
            });
            return await _tcs.Task;
        }
    }
}
