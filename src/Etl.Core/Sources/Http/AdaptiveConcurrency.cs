// A limit on requests in flight that converges: it remembers where the server refused (429/503/timeouts), settles just under that, and probes above it ever more rarely.
namespace Etl.Sources.Http;

/// <summary>What a finished request says about the server's load.</summary>
internal enum LoadSignal { Healthy, Overloaded, Neutral }

/// <summary>
/// Additive increase, multiplicative decrease alone oscillates against a hard limit: every probe above it costs a
/// refusal (and, with Retry-After, a pause of every request to the host), and it probes again a few round trips later.
/// As in TCP congestion avoidance (CUBIC's remembered window), this limit keeps the in-flight count at which the
/// server refused (the requests sent together less those refused), stays one below it, and probes one above only after
/// <see cref="ProbeRoundTrips"/> healthy round trips, twice as long after each probe that fails.
/// </summary>
internal sealed class AdaptiveConcurrency
{
    /// <summary>The limit starts at this share of the maximum and doubles each round trip (slow start) until the first overload:
    /// a healthy API reaches full concurrency within one round trip, or after <see cref="QuietStart"/> if nothing has answered by then.</summary>
    public const double InitialShare = 0.5;

    /// <summary>Before the first answer of any kind, slow start also grows by time. A limit's refusal is cheap for the
    /// server and comes back within about one network round trip, while a healthy answer takes as long as the work: when
    /// nothing has answered this long after the first connection opened, the requests sent on it were taken, and the limit
    /// opens to the full concurrency instead of waiting a whole response time (a slow healthy API would otherwise lose one
    /// round trip of half its concurrency). Counted from the connection, not the first request: a process's first request
    /// spends ≈ 0.1 s in its own start-up before anything reaches the wire, and the client is as slow again in reading the
    /// first answers, so the wait is at least as long as the first connection took.</summary>
    public static readonly TimeSpan QuietStart = TimeSpan.FromMilliseconds(100);

    /// <summary>Healthy round trips at one below the remembered refusal before probing one above it. A failed probe
    /// can cost a Retry-After pause of every request to the host (often a second, ten round trips of a 100 ms API),
    /// so probes are rare enough that their pauses stay a small share of the run.</summary>
    public const int ProbeRoundTrips = 50;

    /// <summary>Probes that keep failing wait at most this many round trips.</summary>
    public const int MaxProbeRoundTrips = 3200;

    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _waiters = new();
    private readonly int _max;
    private readonly TimeProvider _time;
    private ITimer? _quietStart;
    private bool _answered;
    private long? _firstRequestAt;
    private double _limit;
    private int _inFlight;
    private long _epoch;
    private bool _slowStart = true;

    // Where the server last refused (in-flight count at sending); null before any refusal and after a probe above it held.
    private int? _refusedAt;

    // Where the server last refused, kept through probes: a refusal there again means the probe failed.
    private int _lastRefusal = int.MaxValue;
    private int _probeRoundTrips = ProbeRoundTrips;
    private double _healthyAtCap;

    // The most requests in flight in this round, and of the burst that was refused: how many were sent together and how
    // many of those the server refused.
    private int _roundPeak;
    private int _burstPeak;
    private int _burstRefusals;

    public AdaptiveConcurrency(int max, int? initialLimit = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialLimit ?? 1, 1);
        _max = max;
        _time = time ?? TimeProvider.System;
        _limit = Math.Min(initialLimit ?? InitialLimitFor(max), max);
    }

    /// <summary>The limit a run starts at when none is given: a share of the source's concurrency.</summary>
    public static int InitialLimitFor(int max) => Math.Max(1, (int)Math.Ceiling(max * InitialShare));

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

    /// <summary>The in-flight count at which the server last refused; null when none is remembered.</summary>
    public int? RefusedAt
    {
        get
        {
            lock (_lock)
            {
                return _refusedAt;
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
            _firstRequestAt ??= _time.GetTimestamp();
            while (_waiters.TryPeek(out var head) && head.IsCancelled)
            {
                _waiters.Dequeue();
            }
            if (_inFlight < (int)_limit && _waiters.Count == 0)
            {
                _inFlight++;
                _roundPeak = Math.Max(_roundPeak, _inFlight);
                return ValueTask.FromResult(new Slot(_epoch, _inFlight));
            }
            waiter = new Waiter();
            _waiters.Enqueue(waiter);
        }
        return new ValueTask<Slot>(waiter.WaitAsync(cancellationToken));
    }

    /// <summary>Told when a connection to the API is open: the first starts the <see cref="QuietStart"/> clock.</summary>
    public void Connected()
    {
        lock (_lock)
        {
            if (_quietStart is null && !_answered)
            {
                var startUp = _firstRequestAt is { } first ? _time.GetElapsedTime(first) : TimeSpan.Zero;
                var wait = startUp > QuietStart ? startUp : QuietStart;
                _quietStart = _time.CreateTimer(_ => OpenIfUnanswered(), null, wait, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>Gives the slot back with what its response said about the server.</summary>
    public void Release(Slot slot, LoadSignal signal)
    {
        List<(Waiter Waiter, Slot Slot)>? wake;
        lock (_lock)
        {
            var saturated = _inFlight >= (int)_limit || _waiters.Count > 0;
            _inFlight--;
            _answered = true;
            if (signal == LoadSignal.Overloaded)
            {
                Refused(slot);
            }
            else if (signal == LoadSignal.Healthy && saturated)
            {
                // Grow only while the limit is what holds requests back.
                Grow();
            }
            wake = ClaimFreeSlots();
        }
        Grant(wake);
    }

    /// <summary>Opens the limit to the maximum when nothing has answered within <see cref="QuietStart"/> of the first connection.</summary>
    private void OpenIfUnanswered()
    {
        List<(Waiter Waiter, Slot Slot)>? wake;
        lock (_lock)
        {
            _quietStart?.Dispose();
            if (_answered || !_slowStart)
            {
                return;
            }
            _limit = _max;
            wake = ClaimFreeSlots();
        }
        Grant(wake);
    }

    /// <summary>Hands free slots under the limit to the waiters, first come first served; called under the lock.</summary>
    private List<(Waiter Waiter, Slot Slot)>? ClaimFreeSlots()
    {
        List<(Waiter Waiter, Slot Slot)>? wake = null;
        while (_inFlight < (int)_limit && _waiters.TryDequeue(out var next))
        {
            if (next.TryClaim())
            {
                _inFlight++;
                _roundPeak = Math.Max(_roundPeak, _inFlight);
                (wake ??= []).Add((next, new Slot(_epoch, _inFlight)));
            }
        }
        return wake;
    }

    /// <summary>Completes the waiters' waits, outside the lock: their continuations may acquire again.</summary>
    private static void Grant(List<(Waiter Waiter, Slot Slot)>? wake)
    {
        foreach (var (waiter, granted) in wake ?? [])
        {
            waiter.Grant(granted);
        }
    }

    private void Refused(Slot slot)
    {
        if (slot.Epoch == _epoch)
        {
            // The first refusal of this round: remember where it happened and settle just under it.
            if (slot.InFlight >= _lastRefusal)
            {
                // A probe at or above the remembered level failed: wait twice as long before the next one.
                _probeRoundTrips = Math.Min(MaxProbeRoundTrips, _probeRoundTrips * 2);
            }
            _burstPeak = Math.Max(_roundPeak, slot.InFlight);
            _burstRefusals = 1;
            _refusedAt = null;
            SettleUnder(_burstPeak);
            _epoch++;
            _roundPeak = _inFlight;
            _slowStart = false;
            _healthyAtCap = 0;
        }
        else if (slot.Epoch == _epoch - 1)
        {
            // Refused in the same burst: the server takes what it accepted of the burst, the requests sent together less
            // those refused. Counted, not read from this request's in-flight number: requests reach the server in any
            // order, so one sent with few in flight may be the one that arrived over the limit.
            _burstRefusals++;
            SettleUnder(_burstPeak - _burstRefusals + 1);
        }
    }

    /// <summary>Remembers that the server refuses at <paramref name="refusedAt"/> in flight and keeps the limit under it.</summary>
    private void SettleUnder(int refusedAt)
    {
        _refusedAt = _lastRefusal = Math.Max(2, Math.Min(_refusedAt ?? int.MaxValue, refusedAt));
        _limit = Math.Max(1, Math.Min(_limit, _refusedAt.Value - 1));
    }

    private void Grow()
    {
        if (_slowStart)
        {
            _limit = Math.Min(_max, _limit + 1);
            return;
        }
        var cap = _refusedAt is { } refused ? Math.Max(1, refused - 1) : _max;
        if (_limit < cap)
        {
            // Below the remembered refusal: one more per round trip.
            _limit = Math.Min(cap, _limit + 1 / _limit);
            return;
        }
        // At the remembered refusal: after enough healthy round trips, forget it and probe above.
        _healthyAtCap += 1 / _limit;
        if (_healthyAtCap >= _probeRoundTrips)
        {
            _refusedAt = null;
            _healthyAtCap = 0;
            _limit = Math.Min(_max, _limit + 1);
        }
    }

    /// <summary>A granted slot: the round it was granted in and the requests in flight with it.</summary>
    internal readonly record struct Slot(long Epoch, int InFlight);

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
