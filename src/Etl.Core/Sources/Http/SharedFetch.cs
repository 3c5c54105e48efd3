// What every request of one http source shares, parent requests included: the fetcher (connection pool, retries,
// host gate, rate limit), the slots that keep all of them under "concurrency", and the output that takes dead letters.
using Etl.Records;

namespace Etl.Sources.Http;

internal sealed class SharedFetch(HttpSourceSpec source, HttpFetcher fetcher, ISourceOutput output) : IDisposable
{
    // One semaphore for parents and children: two fetch stages of `concurrency` each must not double the load on the API.
    private readonly SemaphoreSlim _slots = new(source.Concurrency, source.Concurrency);
    private readonly Gen0Pacer _pacer = new();

    public HttpSourceSpec Source => source;

    public HttpFetcher Fetcher => fetcher;

    /// <summary>Takes dead letters (thread-safe) and counts failed requests.</summary>
    public ISourceOutput Output => output;

    /// <summary>Fetches one page request once a slot under "concurrency" is free; the slot is held through its retries.</summary>
    public async Task<FetchResult> FetchAsync(HttpRequestDescription request, RecordPath? recordPath, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return await fetcher.FetchAsync(request, recordPath, cancellationToken);
        }
        finally
        {
            _slots.Release();
            _pacer.Tick();
        }
    }

    public void Dispose() => _slots.Dispose();
}
