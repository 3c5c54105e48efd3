// The fixed-window rate limit the sample API enforces and advertises with RateLimit-* headers.
namespace Etl.SampleApi;

/// <summary>
/// A fixed window of <paramref name="Limit"/> requests per <paramref name="WindowSeconds"/> seconds shared by
/// all clients. Within it responses carry <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and
/// <c>RateLimit-Reset</c>; beyond it the answer is 429 with <c>RateLimit-Remaining: 0</c>.
/// </summary>
public sealed record RateLimitHeaders(int Limit, int WindowSeconds);
