// Tests of how server-requested waits are read: Retry-After (seconds, HTTP-date), RateLimit-* and X-RateLimit-* resets, caps.
using System.Net;
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    private static HttpResponseMessage Response(HttpStatusCode status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }
        return response;
    }

    [Fact]
    public void RetryDelay_RetryAfterSeconds_IsHonoured()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, ("Retry-After", "7"));

        Assert.Equal(TimeSpan.FromSeconds(7), RateLimitHeaders.RetryDelay(response, Now, Max));
    }

    [Fact]
    public void RetryDelay_RetryAfterHttpDate_IsTheTimeUntilThen()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable, ("Retry-After", "Sat, 28 Nov 2026 12:00:12 GMT"));

        Assert.Equal(TimeSpan.FromSeconds(12), RateLimitHeaders.RetryDelay(response, Now, Max));
    }

    [Fact]
    public void RetryDelay_RetryAfterBeyondMaxDelay_IsCapped()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, ("Retry-After", "3600"));

        Assert.Equal(Max, RateLimitHeaders.RetryDelay(response, Now, Max));
    }

    [Fact]
    public void RetryDelay_NoHeader_LeavesTheBackoff()
    {
        using var response = Response(HttpStatusCode.InternalServerError);

        Assert.Null(RateLimitHeaders.RetryDelay(response, Now, Max));
    }

    [Fact]
    public void HostWait_RateLimitRemainingZero_WaitsForTheReset()
    {
        using var response = Response(HttpStatusCode.OK, ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "4"));

        Assert.Equal(TimeSpan.FromSeconds(4), RateLimitHeaders.HostWait(response, Now, Max));
    }

    [Fact]
    public void HostWait_RateLimitRemainingLeft_DoesNotWait()
    {
        using var response = Response(HttpStatusCode.OK, ("RateLimit-Remaining", "3"), ("RateLimit-Reset", "4"));

        Assert.Null(RateLimitHeaders.HostWait(response, Now, Max));
    }

    [Fact]
    public void HostWait_XRateLimitResetAsUnixSeconds_WaitsUntilThen()
    {
        var reset = Now.AddSeconds(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = Response(HttpStatusCode.Forbidden, ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset));

        Assert.Equal(TimeSpan.FromSeconds(30), RateLimitHeaders.HostWait(response, Now, Max));
    }

    [Fact]
    public void HostWait_RetryAfterOnSuccess_IsIgnored()
    {
        using var response = Response(HttpStatusCode.OK, ("Retry-After", "5"));

        Assert.Null(RateLimitHeaders.HostWait(response, Now, Max));
    }

    [Fact]
    public void HostWait_RetryAfterZero_DoesNotClose()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, ("Retry-After", "0"));

        Assert.Null(RateLimitHeaders.HostWait(response, Now, Max));
    }
}
