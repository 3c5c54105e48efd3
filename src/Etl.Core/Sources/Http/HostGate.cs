// A per-host gate shared by all requests of a source: once a host asks to wait (Retry-After, exhausted rate limit), every request to it waits.
using System.Collections.Concurrent;

namespace Etl.Sources.Http;

internal sealed class HostGate(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Until> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keeps <paramref name="host"/> closed for <paramref name="wait"/> from now (a later reopening wins).
    /// An answer to a request sent before the host was last closed counts its wait from that closing instead: a burst
    /// of refusals to requests already on their way is one pause, not one pause after another.
    /// Returns true when this call moved the reopening later.</summary>
    public bool Close(string host, TimeSpan wait, DateTimeOffset? sentAt = null)
    {
        var now = time.GetUtcNow().UtcTicks;
        var state = _hosts.GetOrAdd(host, _ => new Until());
        lock (state)
        {
            var from = sentAt is { } sent && sent.UtcTicks < state.ClosedAt ? state.ClosedAt : now;
            var until = from + wait.Ticks;
            if (until <= Interlocked.Read(ref state.Ticks))
            {
                return false;
            }
            if (from == now)
            {
                state.ClosedAt = now;
            }
            Interlocked.Exchange(ref state.Ticks, until);
            return true;
        }
    }

    /// <summary>How long <paramref name="host"/> stays closed from now (zero when open).</summary>
    public TimeSpan Remaining(string host)
    {
        if (!_hosts.TryGetValue(host, out var state))
        {
            return TimeSpan.Zero;
        }
        var left = Interlocked.Read(ref state.Ticks) - time.GetUtcNow().UtcTicks;
        return left > 0 ? TimeSpan.FromTicks(left) : TimeSpan.Zero;
    }

    /// <summary>Returns once <paramref name="host"/> is open; waits again if it is closed anew meanwhile.</summary>
    public async ValueTask WaitAsync(string host, CancellationToken cancellationToken)
    {
        for (var left = Remaining(host); left > TimeSpan.Zero; left = Remaining(host))
        {
            await Task.Delay(left, time, cancellationToken);
        }
    }

    private sealed class Until
    {
        public long Ticks;

        /// <summary>When the current closing was decided (UTC ticks); written under the lock.</summary>
        public long ClosedAt = long.MinValue;
    }
}
