// A per-host gate shared by all requests of a source: once a host asks to wait (Retry-After, exhausted rate limit), every request to it waits.
using System.Collections.Concurrent;

namespace Etl.Sources.Http;

internal sealed class HostGate(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Until> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keeps <paramref name="host"/> closed for <paramref name="wait"/> from now (a later reopening wins).
    /// Returns true when this call moved the reopening later.</summary>
    public bool Close(string host, TimeSpan wait)
    {
        var until = time.GetUtcNow().UtcTicks + wait.Ticks;
        var state = _hosts.GetOrAdd(host, _ => new Until());
        var current = Interlocked.Read(ref state.Ticks);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref state.Ticks, until, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
        return false;
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
    }
}
