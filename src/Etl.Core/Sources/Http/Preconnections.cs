// TCP connections to the source's host opened while the run is still being set up, so the first requests do not
// wait for their handshakes (on a latency-bound run the first round of requests otherwise pays them all at once).
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Etl.Runtime;

namespace Etl.Sources.Http;

/// <summary>Connections opened ahead of the first requests; the handler takes them before it opens its own, so the
/// run opens no more connections than it would without them. One is handed out only while fresh and not closed by the
/// server; those never taken are closed with the source.</summary>
internal sealed class Preconnections : IDisposable
{
    /// <summary>A connection not taken within this time is not used: servers drop connections that send no request.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly DnsEndPoint _endPoint;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<Task<Opened?>> _pending = new();
    // Cancelled, never disposed: connects still queued when the source is disposed read its token.
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _expiry;

    private sealed record Opened(Socket Socket, long At);

    internal Preconnections(DnsEndPoint endPoint, int count, TimeSpan connectTimeout, TimeProvider time)
    {
        _endPoint = endPoint;
        _time = time;
        // Queued at once, started on the pool: starting 50 connects takes a core ≈ 20 ms the source needs for its set-up.
        for (var i = 0; i < count; i++)
        {
            _pending.Enqueue(Task.Run(() => OpenAsync(connectTimeout), CancellationToken.None));
        }
        // Those the run did not need (fewer requests than the concurrency, say) are not held open for the whole run.
        _expiry = time.CreateTimer(_ => CloseUntaken(), null, MaxAge + connectTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts opening connections for the first requests of <paramref name="spec"/>; null when there is nothing
    /// to open ahead (a base URL through a proxy, or not plain http/https).</summary>
    public static Preconnections? Open(HttpSourceSpec spec, RunContext run)
    {
        var count = CountFor(spec, run);
        if (count < 1 || !Uri.TryCreate(spec.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || HttpClient.DefaultProxy.GetProxy(uri) is { } proxy && proxy != uri)
        {
            return null;
        }
        return new Preconnections(new DnsEndPoint(uri.IdnHost, uri.Port), count, TimeSpan.FromSeconds(spec.TimeoutSeconds), run.Time);
    }

    /// <summary>As many connections as the first requests use: the concurrency (the adaptive limit's start, the rate's
    /// first second), no more than the requests known before anything is read, one for a parent request.</summary>
    internal static int CountFor(HttpSourceSpec spec, RunContext run)
    {
        var limit = spec.AdaptiveConcurrency ? AdaptiveConcurrency.InitialLimitFor(spec.Concurrency) : spec.Concurrency;
        if (spec.RequestsPerSecond is { } rps)
        {
            limit = Math.Min(limit, (int)Math.Max(1, Math.Ceiling(rps)));
        }
        if (spec.Values?.Values.Any(v => v.Request is not null) == true)
        {
            return 1; // the parent's first page comes first; its children connect as they go
        }
        if (RequestPlan.CountAhead(spec, run) is { } requests)
        {
            var share = run.Shard is { } shard ? (requests + shard.Count - 1) / shard.Count : requests;
            return (int)Math.Min(limit, share);
        }
        return limit;
    }

    /// <summary>An open connection to <paramref name="endPoint"/>, or null when none is left for it (the caller connects).</summary>
    public async ValueTask<Socket?> TakeAsync(DnsEndPoint endPoint, CancellationToken cancellationToken)
    {
        if (endPoint.Port != _endPoint.Port || !string.Equals(endPoint.Host, _endPoint.Host, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        while (_pending.TryDequeue(out var next))
        {
            Opened? opened;
            try
            {
                opened = await next.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                CloseWhenOpen(next);
                throw;
            }
            if (opened is null)
            {
                continue;
            }
            if (IsUsable(opened))
            {
                return opened.Socket;
            }
            opened.Socket.Dispose();
        }
        return null;
    }

    /// <summary>Fresh, and neither closed by the server nor sent anything (a server says nothing before a request).</summary>
    private bool IsUsable(Opened opened)
    {
        try
        {
            return _time.GetElapsedTime(opened.At) < MaxAge && opened.Socket.Connected && !opened.Socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Opens one connection; null when it cannot (the handler then connects itself and reports why it fails).</summary>
    private async Task<Opened?> OpenAsync(TimeSpan connectTimeout)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(connectTimeout);
        try
        {
            var socket = await HttpClients.ConnectAsync(_endPoint, timeout.Token);
            return new Opened(socket, _time.GetTimestamp());
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return null;
        }
    }

    private static void CloseWhenOpen(Task<Opened?> pending) =>
        pending.ContinueWith(t => t.Result?.Socket.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private void CloseUntaken()
    {
        while (_pending.TryDequeue(out var next))
        {
            CloseWhenOpen(next);
        }
    }

    public void Dispose()
    {
        _expiry.Dispose();
        _stop.Cancel();
        CloseUntaken();
    }
}
