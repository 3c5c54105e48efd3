// Counts every record and request at every stage, so read + added = written + filtered + failed can be checked.
namespace Etl.Runtime;

public sealed class RunCounters
{
    private long _read;
    private long _filtered;
    private long _failed;
    private long _added;
    private long _written;
    private long _requests;
    private long _retries;
    private long _failedRequests;
    private long _pages;
    private long _inFlight;
    private long _parentRequests;
    private long _failedParentRequests;
    private long _parentRecordsWithoutKey;
    private long _waitingOnGate;

    public long Read => Interlocked.Read(ref _read);

    /// <summary>Records dropped on purpose: by a filter, or an explode of an empty array.</summary>
    public long Filtered => Interlocked.Read(ref _filtered);

    /// <summary>Records sent to the dead-letter file.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Extra records made by explode (one record with n elements adds n - 1).</summary>
    public long Added => Interlocked.Read(ref _added);

    /// <summary>Rows written by the first sink (every sink gets every row; the first one counts them).</summary>
    public long Written => Interlocked.Read(ref _written);

    public long Requests => Interlocked.Read(ref _requests);

    public long Retries => Interlocked.Read(ref _retries);

    public long FailedRequests => Interlocked.Read(ref _failedRequests);

    public long Pages => Interlocked.Read(ref _pages);

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>Requests (attempts included, as in <see cref="Requests"/>) of HTTP parent requests that feed value sets.</summary>
    public long ParentRequests => Interlocked.Read(ref _parentRequests);

    /// <summary>Parent requests that failed for good (also counted in <see cref="FailedRequests"/>); their children were not requested.</summary>
    public long FailedParentRequests => Interlocked.Read(ref _failedParentRequests);

    /// <summary>Parent records skipped because they had no value at the value set's "field".</summary>
    public long ParentRecordsWithoutKey => Interlocked.Read(ref _parentRecordsWithoutKey);

    /// <summary>Requests held back because their host asked to wait (Retry-After, an exhausted rate limit).</summary>
    public long WaitingOnGate => Interlocked.Read(ref _waitingOnGate);

    /// <summary>A snapshot of the stages, in mesh order (source first, sinks last).</summary>
    public IReadOnlyList<StageCounters> Stages
    {
        get
        {
            lock (_stages)
            {
                return [.. _stages];
            }
        }
    }

    private readonly List<StageCounters> _stages = [];
    private readonly Dictionary<object, SinkPartitions> _partitions = new(ReferenceEqualityComparer.Instance);

    /// <summary>The partition counts of one sink (by its spec), shared by its writers.</summary>
    public SinkPartitions PartitionsOf(object sink)
    {
        lock (_partitions)
        {
            if (!_partitions.TryGetValue(sink, out var counts))
            {
                counts = new SinkPartitions();
                _partitions.Add(sink, counts);
            }
            return counts;
        }
    }

    /// <summary>Partitions the partitioned sinks have received rows for, and how many of them have their files written.</summary>
    public (long Seen, long Written) Partitions
    {
        get
        {
            lock (_partitions)
            {
                return (_partitions.Values.Sum(p => p.Seen), _partitions.Values.Sum(p => p.Written));
            }
        }
    }

    public StageCounters AddStage(string name, string kind)
    {
        var stage = new StageCounters(name, kind);
        lock (_stages)
        {
            _stages.Add(stage);
        }
        return stage;
    }

    public void CountRead() => Interlocked.Increment(ref _read);

    public void CountRead(long n) => Interlocked.Add(ref _read, n);

    public void CountFiltered() => Interlocked.Increment(ref _filtered);

    public void CountFiltered(long n) => Interlocked.Add(ref _filtered, n);

    public void CountFailed() => Interlocked.Increment(ref _failed);

    public void CountAdded(long n) => Interlocked.Add(ref _added, n);

    public void CountWritten(long n) => Interlocked.Add(ref _written, n);

    public void CountRequest() => Interlocked.Increment(ref _requests);

    public void CountRetry() => Interlocked.Increment(ref _retries);

    public void CountFailedRequest() => Interlocked.Increment(ref _failedRequests);

    public void CountPage() => Interlocked.Increment(ref _pages);

    public void CountParentRequests(long attempts) => Interlocked.Add(ref _parentRequests, attempts);

    public void CountFailedParentRequest() => Interlocked.Increment(ref _failedParentRequests);

    public void CountParentRecordWithoutKey() => Interlocked.Increment(ref _parentRecordsWithoutKey);

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    public void GateWaitStarted() => Interlocked.Increment(ref _waitingOnGate);

    public void GateWaitEnded() => Interlocked.Decrement(ref _waitingOnGate);
}

/// <summary>Records in and out of one stage of the mesh.</summary>
public sealed class StageCounters(string name, string kind)
{
    private long _in;
    private long _out;

    public string Name { get; } = name;

    public string Kind { get; } = kind;

    public long In => Interlocked.Read(ref _in);

    public long Out => Interlocked.Read(ref _out);

    public void CountIn(long n = 1) => Interlocked.Add(ref _in, n);

    public void CountOut(long n = 1) => Interlocked.Add(ref _out, n);
}

/// <summary>Partitions of one sink: seen in its rows (per writer: two writers with rows of one partition write two
/// files) and written (their files finished).</summary>
public sealed class SinkPartitions
{
    private long _seen;
    private long _written;

    public long Seen => Interlocked.Read(ref _seen);

    public long Written => Interlocked.Read(ref _written);

    /// <summary>Counts a new partition; returns the count with it.</summary>
    public long CountSeen() => Interlocked.Increment(ref _seen);

    public void CountWritten() => Interlocked.Increment(ref _written);
}
