// Reads how long a server asks clients to wait: Retry-After (seconds or HTTP-date) and RateLimit-* / X-RateLimit-* resets.
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Etl.Sources.Http;

internal static class RateLimitHeaders
{
    private static readonly string[] RemainingNames = ["RateLimit-Remaining", "X-RateLimit-Remaining", "X-Rate-Limit-Remaining"];
    private static readonly string[] ResetNames = ["RateLimit-Reset", "X-RateLimit-Reset", "X-Rate-Limit-Reset"];

    // Reset values this large are Unix times (seconds, or milliseconds), not delays: GitHub and others send those.
    private const double UnixSecondsThreshold = 1_000_000_000;
    private const double UnixMillisecondsThreshold = 1_000_000_000_000;

    /// <summary>The wait a 429/503's Retry-After asks for, from <paramref name="now"/>; null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var retryAfter = headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return NotNegative(delta);
        }
        if (retryAfter?.Date is { } date)
        {
            return NotNegative(date - now);
        }
        return null;
    }

    /// <summary>The wait until the rate-limit window resets when the response says none is left
    /// (RateLimit-Remaining: 0 with RateLimit-Reset, or the X-RateLimit-* forms); null otherwise.</summary>
    public static TimeSpan? Exhausted(HttpResponseHeaders headers, DateTimeOffset now)
    {
        for (var i = 0; i < RemainingNames.Length; i++)
        {
            if (First(headers, RemainingNames[i]) is { } remaining
                && double.TryParse(remaining, NumberStyles.Float, CultureInfo.InvariantCulture, out var left) && left <= 0
                && First(headers, ResetNames[i]) is { } reset
                && double.TryParse(reset, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return value switch
                {
                    >= UnixMillisecondsThreshold => NotNegative(DateTimeOffset.FromUnixTimeMilliseconds((long)value) - now),
                    >= UnixSecondsThreshold => NotNegative(DateTimeOffset.FromUnixTimeSeconds((long)value) - now),
                    _ => NotNegative(TimeSpan.FromSeconds(value)),
                };
            }
        }
        return null;
    }

    /// <summary>How long every request to the host should wait after <paramref name="response"/>: Retry-After on a
    /// 429 or 503, else an exhausted rate limit; capped by <paramref name="max"/>. Null when there is no reason to wait.</summary>
    public static TimeSpan? HostWait(HttpResponseMessage response, DateTimeOffset now, TimeSpan max)
    {
        var wait = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable
            ? RetryAfter(response.Headers, now) ?? Exhausted(response.Headers, now)
            : Exhausted(response.Headers, now);
        return wait is { } w && w > TimeSpan.Zero ? Cap(w, max) : null;
    }

    /// <summary>The delay before retrying <paramref name="response"/> when the server named one, capped by
    /// <paramref name="max"/> (Polly does not cap what a delay generator returns); null: use the backoff.</summary>
    public static TimeSpan? RetryDelay(HttpResponseMessage response, DateTimeOffset now, TimeSpan max) =>
        (RetryAfter(response.Headers, now) ?? Exhausted(response.Headers, now)) is { } wait ? Cap(wait, max) : null;

    public static TimeSpan Cap(TimeSpan wait, TimeSpan max) => wait > max ? max : wait;

    private static TimeSpan NotNegative(TimeSpan t) => t < TimeSpan.Zero ? TimeSpan.Zero : t;

    // NonValidated: a lookup that parses and allocates nothing, as this runs for every response.
    private static string? First(HttpResponseHeaders headers, string name)
    {
        if (headers.NonValidated.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                return value.Trim();
            }
        }
        return null;
    }
}
