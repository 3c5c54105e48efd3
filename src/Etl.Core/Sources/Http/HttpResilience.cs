// The Polly v8 pipelines of an HTTP source: retry with exponential backoff and jitter (honouring Retry-After, capped), and the per-attempt timeout.
using System.Net.Sockets;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Etl.Sources.Http;

internal sealed class HttpResilience
{
    public HttpResilience(HttpRetrySpec retry, TimeSpan attemptTimeout, TimeProvider time, Func<double> random, Action<OnRetryArguments<HttpResponseMessage>>? onRetry = null)
    {
        MaxDelay = TimeSpan.FromMilliseconds(retry.MaxDelayMs);
        AttemptTimeout = attemptTimeout;
        var retryOn = retry.RetryOn.ToHashSet();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        // Polly counts retries, the spec counts attempts (the first try included); one attempt means no retry strategy.
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(retry.BaseDelayMs),
                MaxDelay = MaxDelay,
                Randomizer = random,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, retryOn)),
                // The server's own wait wins over the backoff; Polly does not cap it, so it is capped here.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RateLimitHeaders.RetryDelay(response, time.GetUtcNow(), MaxDelay) : null),
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

    /// <summary>Retries one request; the callback is one attempt.</summary>
    public ResiliencePipeline<HttpResponseMessage> Retry { get; }

    /// <summary>Bounds one attempt (sending and reading the whole body), not the waits before it.</summary>
    public ResiliencePipeline Timeout { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan AttemptTimeout { get; }

    /// <summary>Network errors, attempt timeouts and the statuses in retryOn are worth another attempt.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome, IReadOnlySet<int> retryOn) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException or IOException or SocketException } => true,
        { Result: { } response } => retryOn.Contains((int)response.StatusCode),
        _ => false,
    };
}
