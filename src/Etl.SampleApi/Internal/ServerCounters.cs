// Thread-safe counters and the request log the server exposes to tests and benchmarks.
using System.Collections.Concurrent;

namespace Etl.SampleApi.Internal;

internal sealed class ServerCounters(bool recordRequests, TokenIssuer? tokens = null)
{
    /// <summary>The OAuth2 token endpoint, when the options ask for one; its counts are the server's.</summary>
    public TokenIssuer? Tokens => tokens;

    private readonly ConcurrentQueue<RequestLog>? _log = recordRequests ? new() : null;
    private int _inFlight;
    private int _maxInFlight;
    private int _connections;
    private long _totalRequests;

    public bool RecordsRequests => _log is not null;

    public int InFlight => Volatile.Read(ref _inFlight);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int ConnectionCount => Volatile.Read(ref _connections);

    public long TotalRequests => Interlocked.Read(ref _totalRequests);

    public IReadOnlyList<RequestLog> Requests => _log?.ToArray() ?? [];

    /// <summary>Counts a request in; returns how many are in flight including it.</summary>
    public int Arrive()
    {
        Interlocked.Increment(ref _totalRequests);
        var inFlight = Interlocked.Increment(ref _inFlight);
        var max = Volatile.Read(ref _maxInFlight);
        while (inFlight > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
            if (seen == max)
                break;
            max = seen;
        }
        return inFlight;
    }

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void ConnectionAccepted() => Interlocked.Increment(ref _connections);

    public void Record(RequestLog request) => _log?.Enqueue(request);

    public void ClearRequests() => _log?.Clear();
}
