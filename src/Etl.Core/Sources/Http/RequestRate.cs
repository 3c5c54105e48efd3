// The requestsPerSecond token bucket, shared by every request of a source (each attempt takes a token).
using System.Threading.RateLimiting;

namespace Etl.Sources.Http;

internal static class RequestRate
{
    /// <summary>Refills at most this often, so the rate is smooth rather than one burst a second.</summary>
    public const int RefillsPerSecond = 20;

    public static RateLimiter? Create(double? requestsPerSecond)
    {
        if (requestsPerSecond is not { } rate)
        {
            return null;
        }
        var tokens = Math.Max(1, (int)Math.Ceiling(rate / RefillsPerSecond));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokens / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
