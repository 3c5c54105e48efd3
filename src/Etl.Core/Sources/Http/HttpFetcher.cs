// Sends one page request through the shared gate, rate limit and adaptive limit, retried by the resilience pipeline.
using System.Net;
using System.Threading.RateLimiting;
using Etl.Runtime;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace Etl.Sources.Http;

/// <summary>How one request ended after all its attempts: a response (any status) or the last exception.</summary>
internal sealed record FetchResult(HttpResponseMessage? Response, Exception? Error, int Attempts, TimeSpan Elapsed) : IDisposable
{
    public bool Succeeded => Response is { IsSuccessStatusCode: true };

    public void Dispose() => Response?.Dispose();
}

internal sealed class HttpFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResilience _resilience;
    private readonly HostGate? _gate;
    private readonly RateLimiter? _rate;
    private readonly AdaptiveConcurrency? _adaptive;
    private readonly RunContext _run;

    public HttpFetcher(HttpSourceSpec spec, RunContext run, HttpClient client)
    {
        _run = run;
        _client = client;
        var random = run.Random;
        _resilience = new HttpResilience(spec.Retry ?? new HttpRetrySpec(), TimeSpan.FromSeconds(spec.TimeoutSeconds), run.Time,
            () =>
            {
                // A seeded Random is not thread-safe.
                lock (random)
                {
                    return random.NextDouble();
                }
            },
            args => run.Counters.CountRetry());
        _gate = spec.RetryAfterScope == RetryAfterScope.Host ? new HostGate(run.Time) : null;
        _rate = RequestRate.Create(spec.RequestsPerSecond);
        _adaptive = spec.AdaptiveConcurrency ? new AdaptiveConcurrency(spec.Concurrency) : null;
    }

    public HttpResilience Resilience => _resilience;

    /// <summary>Sends <paramref name="request"/> until it succeeds, fails for good, or runs out of attempts.
    /// Throws only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<FetchResult> FetchAsync(HttpRequestDescription request, CancellationToken cancellationToken)
    {
        var started = _run.Time.GetTimestamp();
        var attempts = 0;
        try
        {
            var response = await _resilience.Retry.ExecuteAsync(async ct =>
            {
                attempts++;
                return await AttemptAsync(request, ct);
            }, cancellationToken);
            return new FetchResult(response, null, attempts, _run.Time.GetElapsedTime(started));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new FetchResult(null, e, attempts, _run.Time.GetElapsedTime(started));
        }
    }

    private async ValueTask<HttpResponseMessage> AttemptAsync(HttpRequestDescription request, CancellationToken ct)
    {
        var slot = await WaitForTurnAsync(request.Host, ct);
        var signal = LoadSignal.Neutral;
        try
        {
            if (_rate is not null)
            {
                using var lease = await _rate.AcquireAsync(1, ct);
            }
            _run.Counters.CountRequest();
            _run.Counters.RequestStarted();
            try
            {
                using var message = request.ToMessage();
                // ResponseContentRead: the body is read inside the attempt, so its timeout and retries cover a stalled or cut body.
                var response = await _resilience.Timeout.ExecuteAsync(
                    async t => await _client.SendAsync(message, HttpCompletionOption.ResponseContentRead, t), ct);
                signal = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? LoadSignal.Overloaded
                    : (int)response.StatusCode < 500 ? LoadSignal.Healthy
                    : LoadSignal.Neutral;
                CloseGateIfAsked(request, response);
                return response;
            }
            catch (TimeoutRejectedException)
            {
                signal = LoadSignal.Overloaded;
                throw;
            }
            finally
            {
                _run.Counters.RequestEnded();
            }
        }
        finally
        {
            if (_adaptive is not null)
            {
                _adaptive.Release(slot, signal);
            }
        }
    }

    /// <summary>Waits until the host's gate is open and, with adaptive concurrency, a slot is free under the limit.</summary>
    private async ValueTask<AdaptiveConcurrency.Slot> WaitForTurnAsync(string host, CancellationToken ct)
    {
        while (true)
        {
            if (_gate is not null)
            {
                await WaitAtGateAsync(host, ct);
            }
            if (_adaptive is null)
            {
                return default;
            }
            var slot = await _adaptive.AcquireAsync(ct);
            // The gate may have closed while this request queued for a slot: do not send into it.
            if (_gate is null || _gate.Remaining(host) <= TimeSpan.Zero)
            {
                return slot;
            }
            _adaptive.Release(slot, LoadSignal.Neutral);
        }
    }

    /// <summary>Waits for <paramref name="host"/>'s gate; a request held there is counted, so progress can show it.</summary>
    private async ValueTask WaitAtGateAsync(string host, CancellationToken ct)
    {
        if (_gate!.Remaining(host) <= TimeSpan.Zero)
        {
            return;
        }
        _run.Counters.GateWaitStarted();
        try
        {
            await _gate.WaitAsync(host, ct);
        }
        finally
        {
            _run.Counters.GateWaitEnded();
        }
    }

    private void CloseGateIfAsked(HttpRequestDescription request, HttpResponseMessage response)
    {
        if (_gate is null || RateLimitHeaders.HostWait(response, _run.Time.GetUtcNow(), _resilience.MaxDelay) is not { } wait)
        {
            return;
        }
        if (_gate.Close(request.Host, wait) && _run.Logger.IsEnabled(LogLevel.Information))
        {
            _run.Logger.LogInformation("{Host} answered {Status}: holding back every request to it for {Seconds:0.###}s",
                request.Host, (int)response.StatusCode, wait.TotalSeconds);
        }
    }

    public void Dispose()
    {
        _rate?.Dispose();
        _client.Dispose();
    }
}
