// Decides with a seeded, thread-safe random which requests get a transient fault, and applies it.
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Etl.SampleApi.Internal;

internal enum FaultOutcome
{
    /// <summary>Serve the request normally (after a delay, or with the body to be truncated).</summary>
    Continue,

    /// <summary>The fault wrote the whole response.</summary>
    Answered,

    /// <summary>The connection was aborted; nothing was sent.</summary>
    Aborted,
}

internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly double _rate;
    private readonly FaultKind[] _faults;
    private readonly FaultKind[] _firstFaults;
    private int _served;
    private readonly RetryAfterValue _retryAfter;
    private readonly TimeSpan _slowResponse;
    private readonly TimeProvider _time;
    private readonly int _redirectStatus;
    private readonly Uri? _redirectTo;
    private readonly string? _redirectPath;

    public FaultInjector(SampleApiOptions options)
    {
        _random = new Random(options.Seed);
        _rate = options.TransientFailureRate;
        _faults = [.. options.Faults];
        _firstFaults = [.. options.FirstFaults];
        _retryAfter = new RetryAfterValue(options);
        _slowResponse = TimeSpan.FromMilliseconds(options.SlowResponseMs);
        _time = options.TimeProvider;
        _redirectStatus = options.RedirectStatus;
        _redirectTo = options.RedirectTo;
        _redirectPath = options.RedirectPath;
    }

    /// <summary>Rolls the dice for one request: null for the lucky ones, else the fault it gets.</summary>
    public FaultKind? Next()
    {
        if (_firstFaults.Length > 0 && Interlocked.Increment(ref _served) is var n && n <= _firstFaults.Length)
            return _firstFaults[n - 1];
        if (_rate <= 0 || _faults.Length == 0)
            return null;
        lock (_lock)
        {
            if (_random.NextDouble() >= _rate)
                return null;
            return _faults[_random.Next(_faults.Length)];
        }
    }

    public ValueTask<FaultOutcome> ApplyAsync(HttpContext context, FaultKind fault)
    {
        switch (fault)
        {
            case FaultKind.Status500:
                return Answered(ErrorResponses.InternalErrorAsync(context));
            case FaultKind.Status503:
                return Answered(ErrorResponses.ServiceUnavailableAsync(context, _retryAfter.Next()));
            case FaultKind.TooManyRequests:
                return Answered(ErrorResponses.TooManyRequestsAsync(context, _retryAfter.Next()));
            case FaultKind.MalformedJson:
                return Answered(ErrorResponses.MalformedJsonAsync(context));
            case FaultKind.EmptyBody:
                return Answered(ErrorResponses.EmptyBodyAsync(context));
            case FaultKind.HtmlErrorPage:
                return Answered(ErrorResponses.HtmlErrorPageAsync(context));
            case FaultKind.Redirect:
                return Answered(ErrorResponses.RedirectAsync(context, _redirectStatus, Location(context.Request)));
            case FaultKind.NoContent:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return new(FaultOutcome.Answered);
            case FaultKind.SlowResponse:
                return DelayThenContinueAsync(context);
            case FaultKind.AbortConnection:
                context.Abort();
                return new(FaultOutcome.Aborted);
            case FaultKind.TruncatedJson or FaultKind.CutMidBody or FaultKind.InvalidAtEnd or FaultKind.ByteOrderMark:
                // The endpoint breaks its own body: only it knows the body.
                RequestState.GetOrAdd(context).BodyFault = fault;
                return new(FaultOutcome.Continue);
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "Unknown fault kind.");
        }
    }

    /// <summary>Where <see cref="FaultKind.Redirect"/> sends a request: relative on this server, absolute on another.</summary>
    private string Location(HttpRequest request)
    {
        var path = _redirectPath ?? (request.PathBase + request.Path).ToString();
        var relative = path + request.QueryString;
        return _redirectTo is null ? relative : new Uri(_redirectTo, relative).ToString();
    }

    private async ValueTask<FaultOutcome> DelayThenContinueAsync(HttpContext context)
    {
        await Task.Delay(_slowResponse, _time, context.RequestAborted).ConfigureAwait(false);
        return FaultOutcome.Continue;
    }

    private static ValueTask<FaultOutcome> Answered(Task written)
    {
        return written.IsCompletedSuccessfully ? new(FaultOutcome.Answered) : AwaitAsync(written);

        static async ValueTask<FaultOutcome> AwaitAsync(Task written)
        {
            await written.ConfigureAwait(false);
            return FaultOutcome.Answered;
        }
    }
}
