// Sends one page request through the shared gate, rate limit and adaptive limit, retried (bad 2xx bodies too) by the resilience pipeline.
using System.Net;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Etl.Records;
using Etl.Runtime;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Etl.Sources.Http;

/// <summary>How one request ended after all its attempts: the last attempt (any status, any body) or the last exception;
/// <paramref name="Refusal"/> says why the redirect the last attempt got was not followed; <paramref name="Url"/> is the URL
/// the last attempt went to (after the redirects followed), against which the page's relative links resolve.</summary>
internal sealed record FetchResult(HttpAttempt? Last, Exception? Error, int Attempts, TimeSpan Elapsed, Uri Url, string? Refusal = null) : IDisposable
{
    /// <summary>A 2xx whose body was read as a page.</summary>
    public bool Succeeded => Last is { Succeeded: true };

    public void Dispose() => Last?.Dispose();
}

internal sealed class HttpFetcher : IDisposable
{
    private readonly HttpClient _client;
    private readonly HttpResilience _resilience;
    private readonly HostGate? _gate;
    private readonly RateLimiter? _rate;
    private readonly AdaptiveConcurrency? _adaptive;
    private readonly RunContext _run;
    private readonly OAuth2Tokens? _tokens;
    private readonly Preconnections? _preconnections;

    public HttpFetcher(HttpSourceSpec spec, RunContext run)
    {
        _run = run;
        // First: the connections are made while the rest of the fetcher and the plan are being built.
        _preconnections = Preconnections.Open(spec, run);
        _adaptive = spec.AdaptiveConcurrency ? new AdaptiveConcurrency(spec.Concurrency, time: run.Time) : null;
        _client = HttpClients.Create(spec.Concurrency, TimeSpan.FromSeconds(spec.TimeoutSeconds), _adaptive is null ? null : _adaptive.Connected, _preconnections);
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
        // Each of N shards gets 1/N of the rate: the limit is the API's, whatever the number of processes sending.
        _rate = RequestRate.Create(spec.RequestsPerSecond is { } rps && run.Shard is { } shard ? shard.ShareOf(rps) : spec.RequestsPerSecond);
        _tokens = spec.Auth is { Type: HttpAuthType.OAuth2 } oauth ? new OAuth2Tokens(oauth, _client, _resilience, run) : null;
    }

    public HttpResilience Resilience => _resilience;

    /// <summary>Sends <paramref name="request"/> until it succeeds, fails for good, or runs out of attempts, following
    /// redirects (<see cref="HttpRedirect"/>), each hop with its own retries.
    /// Throws only when <paramref name="cancellationToken"/> is cancelled or no OAuth2 token can be had.
    /// <paramref name="recordPath"/> is where a 2xx body holds its records (the source's or a parent request's).</summary>
    public async Task<FetchResult> FetchAsync(HttpRequestDescription request, RecordPath? recordPath, CancellationToken cancellationToken)
    {
        var started = _run.Time.GetTimestamp();
        var fetch = new Fetch(this, recordPath);
        // Polly's outcome API: an attempt's exception travels to the retry strategy as an outcome, not a throw, and no
        // wrapper task or closure is made per call (two fewer async layers per pipeline and request).
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                fetch.Request = request;
                var outcome = await _resilience.Retry.ExecuteOutcomeAsync(static (context, fetch) => fetch.Fetcher.AttemptAsync(fetch, context.CancellationToken), context, fetch);
                if (outcome.Exception is { } error && FailsTheRequest(error, cancellationToken))
                {
                    return new FetchResult(null, error, fetch.Attempts, _run.Time.GetElapsedTime(started), request.Url);
                }
                outcome.ThrowIfException();
                var last = outcome.Result!;
                var next = HttpRedirect.Next(request, last.Response, out var refusal);
                if (next is not null && redirects == HttpRedirect.MaxRedirects)
                {
                    refusal = HttpSpecErrors.TooManyRedirects(HttpRedirect.MaxRedirects, next.Url);
                }
                if (next is null || refusal is not null)
                {
                    return new FetchResult(last, null, fetch.Attempts, _run.Time.GetElapsedTime(started), request.Url, refusal);
                }
                last.Dispose();
                request = next;
            }
        }
        catch (Exception e) when (FailsTheRequest(e, cancellationToken))
        {
            return new FetchResult(null, e, fetch.Attempts, _run.Time.GetElapsedTime(started), request.Url);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether <paramref name="e"/> ends only this request (a dead letter), not the run: the run's cancellation
    /// and a token endpoint that fails for good stop everything.</summary>
    private static bool FailsTheRequest(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is not OAuth2TokenException;

    /// <summary>One request on its way through the retry pipeline: its current hop, and its attempts over all its
    /// redirects; the OAuth2 token is renewed once per request.</summary>
    private sealed class Fetch(HttpFetcher fetcher, RecordPath? recordPath)
    {
        public HttpFetcher Fetcher { get; } = fetcher;

        public RecordPath? RecordPath { get; } = recordPath;

        public HttpRequestDescription Request { get; set; } = null!;

        public int Attempts;
        public bool Renewed;
    }

    /// <summary>The retry pipeline's callback: one attempt (renewing a refused OAuth2 token once), its failure as an outcome.</summary>
    private async ValueTask<Outcome<HttpAttempt>> AttemptAsync(Fetch fetch, CancellationToken ct)
    {
        try
        {
            var request = fetch.Request;
            var token = _tokens is null || !request.CarriesCredentials ? null : await _tokens.GetAsync(ct);
            fetch.Attempts++;
            var outcome = await AttemptAsync(request, fetch.RecordPath, token, ct);
            if (token is not null && !fetch.Renewed && outcome.Result?.Response.StatusCode == HttpStatusCode.Unauthorized)
            {
                // The token may have been revoked or expired early: renew it once for this request and try again at once.
                fetch.Renewed = true;
                outcome.Result.Dispose();
                token = await _tokens!.RenewAsync(token, ct);
                fetch.Attempts++;
                outcome = await AttemptAsync(request, fetch.RecordPath, token, ct);
            }
            return outcome;
        }
        catch (Exception e)
        {
            return Outcome.FromException<HttpAttempt>(e);
        }
    }

    /// <summary>One attempt: the request sent and its body read as it streams in (a 2xx body parsed into a page, or spilled
    /// to a scratch file when large), all inside the attempt's timeout and its slot, so a stalled or cut body is retried.</summary>
    private async ValueTask<Outcome<HttpAttempt>> AttemptAsync(HttpRequestDescription request, RecordPath? recordPath, string? token, CancellationToken ct)
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
                if (token is not null)
                {
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                }
                var exchange = new Exchange(this, request, message, recordPath, _run.Time.GetUtcNow());
                var context = ResilienceContextPool.Shared.Get(ct);
                try
                {
                    var outcome = await _resilience.Timeout.ExecuteOutcomeAsync(static (context, exchange) => exchange.RunAsync(context.CancellationToken), context, exchange);
                    signal = outcome.Exception is TimeoutRejectedException ? LoadSignal.Overloaded : exchange.Signal;
                    return outcome;
                }
                finally
                {
                    ResilienceContextPool.Shared.Return(context);
                }
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

    /// <summary>The timed part of one attempt: the request sent, the status read as a load signal, the body read.</summary>
    private sealed class Exchange(HttpFetcher fetcher, HttpRequestDescription request, HttpRequestMessage message, RecordPath? recordPath, DateTimeOffset sentAt)
    {
        public LoadSignal Signal { get; private set; } = LoadSignal.Neutral;

        public async ValueTask<Outcome<HttpAttempt>> RunAsync(CancellationToken t)
        {
            try
            {
                // ResponseHeadersRead: the body is read here, from the socket, as it arrives.
                var response = await fetcher._client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, t);
                Signal = response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? LoadSignal.Overloaded
                    : (int)response.StatusCode < 500 ? LoadSignal.Healthy
                    : LoadSignal.Neutral;
                fetcher.CloseGateIfAsked(request, response, sentAt);
                try
                {
                    return Outcome.FromResult(await BodyReader.ReadAsync(response, recordPath, t));
                }
                catch
                {
                    response.Dispose();
                    throw;
                }
            }
            catch (Exception e)
            {
                return Outcome.FromException<HttpAttempt>(e);
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

    private void CloseGateIfAsked(HttpRequestDescription request, HttpResponseMessage response, DateTimeOffset sentAt)
    {
        if (_gate is null || RateLimitHeaders.HostWait(response, _run.Time.GetUtcNow(), _resilience.MaxDelay) is not { } wait)
        {
            return;
        }
        if (_gate.Close(request.Host, wait, sentAt) && _run.Logger.IsEnabled(LogLevel.Information))
        {
            _run.Logger.LogInformation("{Host} answered {Status}: holding back every request to it for {Seconds:0.###}s",
                request.Host, (int)response.StatusCode, wait.TotalSeconds);
        }
    }

    public void Dispose()
    {
        _rate?.Dispose();
        _tokens?.Dispose();
        _client.Dispose();
        _preconnections?.Dispose();
    }
}
