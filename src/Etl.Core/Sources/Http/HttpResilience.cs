// The Polly v8 pipelines of an HTTP source: retry with exponential backoff and jitter (honouring Retry-After, capped), and the per-attempt timeout.
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Etl.Sources.Http;

internal sealed class HttpResilience
{
    private readonly HashSet<int> _retryOn;
    private readonly HttpRetrySpec _spec;

    public HttpResilience(HttpRetrySpec retry, TimeSpan attemptTimeout, TimeProvider time, Func<double> random, Action<OnRetryArguments<HttpAttempt>>? onRetry = null)
    {
        _spec = retry;
        MaxDelay = TimeSpan.FromMilliseconds(retry.MaxDelayMs);
        AttemptTimeout = attemptTimeout;
        _retryOn = retry.RetryOn.ToHashSet();
        var builder = new ResiliencePipelineBuilder<HttpAttempt> { TimeProvider = time };
        // Polly counts retries, the spec counts attempts (the first try included); one attempt means no retry strategy.
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpAttempt>
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(retry.BaseDelayMs),
                MaxDelay = MaxDelay,
                Randomizer = random,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                // The server's own wait wins over the backoff; Polly does not cap it, so it is capped here.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } attempt ? RateLimitHeaders.RetryDelay(attempt.Response, time.GetUtcNow(), MaxDelay) : null),
                OnRetry = args =>
                {
                    onRetry?.Invoke(args);
                    return default;
                },
            });
        }
        Retry = builder.Build();
        Timeout = new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(attemptTimeout).Build();
    }

    /// <summary>Retries one request; the callback is one attempt. Polly disposes the attempts it discards.</summary>
    public ResiliencePipeline<HttpAttempt> Retry { get; }

    /// <summary>Bounds one attempt (sending and reading the whole body), not the waits before it.</summary>
    public ResiliencePipeline Timeout { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan AttemptTimeout { get; }

    /// <summary>Network errors, attempt timeouts, the statuses in retryOn and the bad bodies the spec retries are worth another attempt.</summary>
    public bool IsTransient(Outcome<HttpAttempt> outcome) => outcome switch
    {
        { Exception: { } e } => IsTransient(e),
        { Result: { Problem: BodyProblem.Invalid } } => _spec.OnInvalidBody == BodyFailure.Retry,
        { Result: { Problem: BodyProblem.MissingRecords } } => _spec.OnMissingRecords == BodyFailure.Retry,
        { Result: { } attempt } => _retryOn.Contains((int)attempt.Response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(Exception e) => e is HttpRequestException or TimeoutRejectedException or IOException or SocketException;
}
