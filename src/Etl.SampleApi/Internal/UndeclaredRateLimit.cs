// A token bucket of N requests per second shared by all clients and never advertised: beyond it, 429 with Retry-After only.
namespace Etl.SampleApi.Internal;

internal sealed class UndeclaredRateLimit(int requestsPerSecond, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly double _capacity = Math.Max(1, requestsPerSecond);
    private double _tokens = Math.Max(1, requestsPerSecond);
    private long _last = time.GetTimestamp();

    /// <summary>Takes a token; false when the bucket is empty.</summary>
    public bool TryAdmit()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * requestsPerSecond);
            _last = now;
            if (_tokens < 1)
                return false;
            _tokens -= 1;
            return true;
        }
    }
}
