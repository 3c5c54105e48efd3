// The values of a placeholder fed by a parent request: its pages are read as the children consume, never all kept.
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Etl.Records;
using Etl.Runtime;
using Microsoft.Extensions.Logging;

namespace Etl.Sources.Http;

internal sealed class RequestValueSet(ValueRequestSpec spec, RunContext run, SharedFetch shared) : ValueSet
{
    /// <summary>Parent values read ahead of the child requests; with one page per parent request at work, the whole read-ahead.</summary>
    public const int Buffered = 256;

    private readonly RecordPath _field = RecordPath.Parse(spec.Field);
    private readonly RecordPath[] _carry = [.. (spec.Carry ?? []).Select(RecordPath.Parse)];
    private long _buffered;
    private long _maxBuffered;

    public override long? Count => null;

    /// <summary>Most parent values read from pages but not yet taken by the children (a test's measure of flat memory).</summary>
    internal long MaxBuffered => Interlocked.Read(ref _maxBuffered);

    public override async IAsyncEnumerable<object> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<ParentValue>(new BoundedChannelOptions(Buffered) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var produce = Task.Run(() => ProduceAsync(channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var value in channel.Reader.ReadAllAsync(cancellationToken))
            {
                Interlocked.Decrement(ref _buffered);
                yield return value;
            }
        }
        finally
        {
            // The children stopped early (cancelled or failed): stop the parents too.
            await stop.CancelAsync();
            await produce;
        }
    }

    /// <summary>Reads every parent request of the plan (several at once when the parent has values of its own) into the channel.</summary>
    private async Task ProduceAsync(ChannelWriter<ParentValue> writer, CancellationToken cancellationToken)
    {
        var plan = RequestPlan.ForParent(spec, shared, run);
        var reader = new EndpointReader(shared, run, plan, spec.Pagination, spec.RecordPath, parent: true);
        var missing = 0L;
        var fetch = new ActionBlock<RequestValues>(async values => Interlocked.Add(ref missing, await ReadOneAsync(reader, values, writer, cancellationToken)),
            new ExecutionDataflowBlockOptions
            {
                MaxDegreeOfParallelism = shared.Source.Concurrency,
                BoundedCapacity = shared.Source.Concurrency,
                EnsureOrdered = false,
                SingleProducerConstrained = true,
                CancellationToken = cancellationToken,
            });
        try
        {
            await foreach (var values in plan.EnumerateAsync(cancellationToken))
            {
                if (!await fetch.SendAsync(values, cancellationToken))
                {
                    break; // the stage faulted: its Completion says why
                }
            }
            fetch.Complete();
            await fetch.Completion;
            writer.TryComplete();
        }
        catch (Exception e)
        {
            fetch.Complete();
            // The children hear of the failure first; parents still writing then find the channel closed and stop.
            writer.TryComplete(e);
            try
            {
                await fetch.Completion;
            }
            catch (Exception)
            {
                // Its cause, or a consequence of the one already passed on.
            }
        }
        if (missing > 0)
        {
            run.Logger.LogWarning("{Count} parent record(s) of {Path} had no value at field '{Field}' and were skipped",
                missing, run.Secrets.Redact(spec.Path ?? ""), spec.Field);
        }
    }

    /// <summary>Reads all pages of one parent request; returns how many of its records had no value at "field".</summary>
    private async Task<long> ReadOneAsync(EndpointReader reader, RequestValues values, ChannelWriter<ParentValue> writer, CancellationToken cancellationToken)
    {
        var missing = 0L;
        // A chunk never spans two parent requests: their own placeholder values (and so the child's path) may differ.
        var chunk = spec.Chunk is { } size ? new List<object>(size) : null;
        await reader.ReadAsync(values, async page =>
        {
            foreach (var item in page.Items)
            {
                if (item is not Record record || KeyOf(record) is not { } key)
                {
                    missing++;
                    run.Counters.CountParentRecordWithoutKey();
                    continue;
                }
                if (chunk is null)
                {
                    await WriteAsync(writer, new ParentValue(key, values.Values, ParentValue.Merge(values.Carried, Carry(record))), cancellationToken);
                    continue;
                }
                chunk.Add(key);
                if (chunk.Count == spec.Chunk)
                {
                    await WriteAsync(writer, Joined(chunk, values), cancellationToken);
                    chunk.Clear();
                }
            }
        }, cancellationToken);
        if (chunk is { Count: > 0 })
        {
            await WriteAsync(writer, Joined(chunk, values), cancellationToken);
        }
        return missing;
    }

    private async ValueTask WriteAsync(ChannelWriter<ParentValue> writer, ParentValue value, CancellationToken cancellationToken)
    {
        // Counted before the write: a value waiting for room in the channel is held in memory too.
        var now = Interlocked.Increment(ref _buffered);
        long max;
        while (now > (max = Interlocked.Read(ref _maxBuffered)) && Interlocked.CompareExchange(ref _maxBuffered, now, max) != max)
        {
        }
        await writer.WriteAsync(value, cancellationToken);
    }

    /// <summary>The scalar at "field"; null (a record to skip) when missing, null, empty, or an object or array.</summary>
    private object? KeyOf(Record record) => _field.Read(record) switch
    {
        null or Record or System.Collections.IList => null,
        string { Length: 0 } => null,
        var value => value,
    };

    private Dictionary<string, object?>? Carry(Record record)
    {
        if (_carry.Length == 0)
        {
            return null;
        }
        var carried = new Dictionary<string, object?>(_carry.Length, StringComparer.Ordinal);
        foreach (var path in _carry)
        {
            carried[path.Text] = path.Read(record);
        }
        return carried;
    }

    private ParentValue Joined(List<object> chunk, RequestValues values) =>
        new(string.Join(spec.Separator ?? ValueRequestSpec.DefaultSeparator, chunk.Select(Placeholders.Text)), values.Values, values.Carried);
}
