// The first middleware: counts each request in flight, applies the configured misbehaviour, records the request.
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Etl.SampleApi.Internal;

/// <summary>
/// Runs before routing, so in-flight counting covers the whole request. Misbehaviour applies in this order:
/// the in-flight limit and the undeclared rate limit (an immediate 429), the token endpoint, latency, the rate-limit window, a random fault, the bearer check.
/// </summary>
internal sealed class RequestPipeline
{
    private const string BearerPrefix = "Bearer ";

    private readonly ServerCounters _counters;
    private readonly FaultInjector _faults;
    private readonly FixedWindowRateLimit? _rateLimit;
    private readonly UndeclaredRateLimit? _undeclared;
    private readonly TimeProvider _time;
    private readonly TimeSpan _latency;
    private readonly int _maxInFlight;
    private readonly RetryAfterValue _retryAfter;
    private readonly string? _bearerToken;
    private readonly TokenIssuer? _tokens;
    private readonly (string ContentType, System.Text.Encoding? Encoding)? _representation;

    private enum Outcome
    {
        Failed,
        Answered,
        ServerAborted,
        ClientGone,
    }

    public RequestPipeline(SampleApiOptions options, ServerCounters counters)
    {
        _counters = counters;
        _faults = new FaultInjector(options);
        _time = options.TimeProvider;
        _rateLimit = options.RateLimit is { } limit ? new FixedWindowRateLimit(limit, _time) : null;
        _undeclared = options.UndeclaredRequestsPerSecond is { } rate ? new UndeclaredRateLimit(rate, _time) : null;
        _latency = TimeSpan.FromMilliseconds(options.LatencyMs);
        _maxInFlight = options.MaxInFlightBefore429 ?? int.MaxValue;
        _retryAfter = new RetryAfterValue(options);
        _bearerToken = options.RequiredBearerToken;
        _tokens = counters.Tokens;
        if (options.MediaType != SampleApiDefaults.MediaType || options.Charset is not null)
            _representation = (options.Charset is null ? options.MediaType : $"{options.MediaType}; charset={options.Charset}",
                options.Charset is null ? null : Encoding.GetEncoding(options.Charset));
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var receivedAt = _counters.RecordsRequests ? _time.GetUtcNow() : default;
        var inFlight = _counters.Arrive();
        var outcome = Outcome.Failed;
        try
        {
            outcome = await ServeAsync(context, next, inFlight).ConfigureAwait(false);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            outcome = Outcome.ClientGone;
        }
        finally
        {
            _counters.Leave();
            if (_counters.RecordsRequests)
                Record(context, receivedAt, inFlight, outcome);
        }
    }

    private async ValueTask<Outcome> ServeAsync(HttpContext context, RequestDelegate next, int inFlight)
    {
        if (inFlight > _maxInFlight || (_undeclared is not null && !_undeclared.TryAdmit()))
        {
            await ErrorResponses.TooManyRequestsAsync(context, _retryAfter.Next()).ConfigureAwait(false);
            return Outcome.Answered;
        }
        if (_representation is not null)
            RequestState.GetOrAdd(context).Representation = _representation;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true })
            RequestState.GetOrAdd(context).Body = await ReadBodyAsync(context).ConfigureAwait(false);
        // The token endpoint has its own faults (FailingTokenRequests), not the latency and faults of the data endpoints.
        if (_tokens is not null && TokenIssuer.IsTokenRequest(context.Request))
        {
            await _tokens.IssueAsync(context, RequestState.Of(context)?.Body).ConfigureAwait(false);
            return Outcome.Answered;
        }
        if (_latency > TimeSpan.Zero)
            await Task.Delay(_latency, _time, context.RequestAborted).ConfigureAwait(false);
        if (_rateLimit is not null && !_rateLimit.TryAdmit(context))
        {
            await ErrorResponses.RateLimitedAsync(context).ConfigureAwait(false);
            return Outcome.Answered;
        }
        if (_faults.Next() is { } fault)
        {
            switch (await _faults.ApplyAsync(context, fault).ConfigureAwait(false))
            {
                case FaultOutcome.Answered:
                    return Outcome.Answered;
                case FaultOutcome.Aborted:
                    return Outcome.ServerAborted;
            }
        }
        if ((_bearerToken is not null && !HasBearerToken(context.Request, _bearerToken)) || (_tokens is not null && !_tokens.Admits(context.Request)))
        {
            await ErrorResponses.UnauthorizedAsync(context).ConfigureAwait(false);
            return Outcome.Answered;
        }
        await next(context).ConfigureAwait(false);
        return Outcome.Answered;
    }

    private static bool HasBearerToken(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value)
            return false;
        return value.Length == BearerPrefix.Length + token.Length
            && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            && value.AsSpan(BearerPrefix.Length).SequenceEqual(token);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private void Record(HttpContext context, DateTimeOffset receivedAt, int inFlight, Outcome outcome)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization;
        var body = RequestState.Of(context)?.Body;
        var status = outcome switch
        {
            Outcome.Answered => context.Response.StatusCode,
            Outcome.ServerAborted => 0,
            Outcome.ClientGone => 499,
            _ => StatusCodes.Status500InternalServerError,
        };
        _counters.Record(new RequestLog(
            receivedAt,
            request.Method,
            request.Path + request.QueryString,
            authorization.Count == 0 ? null : authorization.ToString(),
            status,
            inFlight,
            body is null ? null : Encoding.UTF8.GetString(body))
        {
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        });
    }
}
