// The retry settings of an HTTP source: attempts, exponential backoff bounds, the statuses and the bad bodies worth retrying.
using System.ComponentModel;

namespace Etl.Sources.Http;

public sealed record HttpRetrySpec
{
    public const int DefaultMaxAttempts = 5;
    public const int DefaultBaseDelayMs = 200;
    public const int DefaultMaxDelayMs = 60_000;
    public const BodyFailure DefaultOnInvalidBody = BodyFailure.Retry;
    public const BodyFailure DefaultOnMissingRecords = BodyFailure.Fail;

    /// <summary>408 Request Timeout, 429 Too Many Requests, 500, 502, 503, 504.</summary>
    public static IReadOnlyList<int> DefaultRetryOn { get; } = [408, 429, 500, 502, 503, 504];

    [Description("Attempts per request, the first try included. Default 5.")]
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    [Description("Delay before the first retry in milliseconds; it doubles on each retry, with jitter. Default 200.")]
    public int BaseDelayMs { get; init; } = DefaultBaseDelayMs;

    [Description("Longest wait between attempts in milliseconds, Retry-After and rate-limit resets included. Default 60000.")]
    public int MaxDelayMs { get; init; } = DefaultMaxDelayMs;

    [Description("HTTP statuses that are retried (network errors and attempt timeouts always are). Default [408, 429, 500, 502, 503, 504].")]
    public IReadOnlyList<int> RetryOn { get; init; } = DefaultRetryOn;

    [Description("A 2xx whose body is not JSON (an HTML error page from a proxy, a truncated or empty body): retry (default: another attempt with a fresh request, like a 5xx) or fail (dead-lettered at once).")]
    public BodyFailure OnInvalidBody { get; init; } = DefaultOnInvalidBody;

    [Description("A 2xx of valid JSON with no array or object at recordPath: fail (default: dead-lettered at once) or retry.")]
    public BodyFailure OnMissingRecords { get; init; } = DefaultOnMissingRecords;

    internal IEnumerable<(string Path, string Message)> Validate(string path)
    {
        if (MaxAttempts < 1)
        {
            yield return ($"{path}.maxAttempts", HttpSpecErrors.AtLeast(1, MaxAttempts));
        }
        if (BaseDelayMs < 0)
        {
            yield return ($"{path}.baseDelayMs", HttpSpecErrors.AtLeast(0, BaseDelayMs));
        }
        if (MaxDelayMs < BaseDelayMs)
        {
            yield return ($"{path}.maxDelayMs", $"expected a number >= baseDelayMs ({BaseDelayMs}); got {MaxDelayMs}");
        }
        if (MaxDelayMs > (int)TimeSpan.FromDays(1).TotalMilliseconds)
        {
            yield return ($"{path}.maxDelayMs", $"expected a number <= 86400000 (one day); got {MaxDelayMs}");
        }
        for (var i = 0; i < RetryOn.Count; i++)
        {
            if (RetryOn[i] is < 100 or > 599)
            {
                yield return ($"{path}.retryOn[{i}]", $"expected an HTTP status between 100 and 599; got {RetryOn[i]}");
            }
        }
    }
}
