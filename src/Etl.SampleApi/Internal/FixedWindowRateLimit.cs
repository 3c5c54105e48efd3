// A fixed window of N requests per W seconds shared by all clients, advertised with RateLimit-* headers.
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Etl.SampleApi.Internal;

internal sealed class FixedWindowRateLimit
{
    private const string LimitHeader = "RateLimit-Limit";
    private const string RemainingHeader = "RateLimit-Remaining";
    private const string ResetHeader = "RateLimit-Reset";

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly int _limit;
    private readonly string _limitText;
    private readonly long _windowTicks;
    private long _window = -1;
    private int _used;

    // Windows are aligned on the server's start, so a test knows when the first one ends.
    public FixedWindowRateLimit(RateLimitHeaders spec, TimeProvider time)
    {
        _time = time;
        _origin = time.GetTimestamp();
        _limit = spec.Limit;
        _limitText = spec.Limit.ToString(CultureInfo.InvariantCulture);
        _windowTicks = TimeSpan.FromSeconds(spec.WindowSeconds).Ticks;
    }

    /// <summary>Takes one request from the current window and sets the RateLimit-* headers; false when the window is spent.</summary>
    public bool TryAdmit(HttpContext context)
    {
        var elapsed = _time.GetElapsedTime(_origin).Ticks;
        var window = elapsed / _windowTicks;
        int remaining;
        bool admitted;
        lock (_lock)
        {
            if (window > _window)
            {
                _window = window;
                _used = 0;
            }
            admitted = _used < _limit;
            if (admitted)
                _used++;
            remaining = _limit - _used;
        }
        var resetTicks = (window + 1) * _windowTicks - elapsed;
        var resetSeconds = (resetTicks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;

        var headers = context.Response.Headers;
        headers[LimitHeader] = _limitText;
        headers[RemainingHeader] = remaining.ToString(CultureInfo.InvariantCulture);
        headers[ResetHeader] = resetSeconds.ToString(CultureInfo.InvariantCulture);
        return admitted;
    }
}
