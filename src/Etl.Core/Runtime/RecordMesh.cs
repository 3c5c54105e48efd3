// Builds and runs the TPL Dataflow mesh of one run: source → transforms → conform and fan-out → batch → writers.
using System.Threading.Tasks.Dataflow;
using Etl.Columns;
using Etl.Lake;
using Etl.Records;
using Etl.Sinks;
using Etl.Sources;
using Etl.Spec;
using Etl.Transforms;

namespace Etl.Runtime;

/// <summary>The components one run's mesh links: built by the runner, wired here.</summary>
internal sealed record MeshParts(
    ISource Source,
    RecordMesh.IncrementalFilter? Filter,
    IReadOnlyList<(TransformSpec Spec, ITransform Transform)> Transforms,
    Conformer Conformer,
    IReadOnlyList<IReadOnlyList<ISink>> Sinks,
    IReadOnlyList<string> StagingFolders)
{
    /// <summary>Done when the sinks' folders are leased: nothing is written to staging before.</summary>
    public Task Prepared { get; init; } = Task.CompletedTask;
}

internal sealed class RecordMesh
{
    /// <summary>Skips source records at or below the last committed incremental cursor.</summary>
    internal sealed record IncrementalFilter(RecordPath Path, CursorKey? Last, StageCounters Stage);

    private readonly RunContext _run;
    private readonly MeshPlan _plan;
    private readonly MeshParts _parts;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _token;
    private readonly List<BufferBlock<ColumnBatch>> _sinkInputs = [];
    private readonly List<ActionBlock<ColumnBatch>> _writers = [];
    private readonly List<IDataflowBlock> _transformBlocks = [];
    // What the leading transforms read, told to the source (and to an explode before a leading select).
    private readonly NestedReads _reads;

    private RecordMesh(RunContext run, MeshPlan plan, MeshParts parts, CancellationTokenSource cts)
    {
        (_run, _plan, _parts, _cts, _token) = (run, plan, parts, cts, cts.Token);
        _reads = NestedReadsPlan.For(run.Spec.Spec.Transforms);
    }

    /// <summary>Builds every block from <paramref name="plan"/> (the plan `etl plan` prints), links them and runs the
    /// source into them until every block has finished.</summary>
    public static Task RunAsync(RunContext run, MeshPlan plan, MeshParts parts, CancellationTokenSource cts) =>
        new RecordMesh(run, plan, parts, cts).RunAsync();

    private async Task RunAsync()
    {
        var spec = _run.Spec.Spec;
        var counters = _run.Counters;
        // Stage counters in mesh order, for progress displays and the manifest.
        var sourceStage = counters.AddStage($"source ({Components.For(spec.Source.GetType()).Type})", "Task");
        var transformStages = _parts.Transforms.Select((t, i) => counters.AddStage($"transforms[{i}] ({Components.For(t.Spec.GetType()).Type})", "Transform")).ToList();
        var conformStage = counters.AddStage("conform + fan-out", "Action");
        var sinkStages = spec.Sinks.Select((s, i) => counters.AddStage($"sinks[{i}] ({Components.For(s.GetType()).Type} {s.Path})", "Batch→Action")).ToList();

        for (var s = 0; s < _parts.Sinks.Count; s++)
        {
            BuildSink(s, sinkStages[s]);
        }
        var conform = BuildConform(conformStage);
        ITargetBlock<ColumnBatch> entry = conform;
        for (var i = _parts.Transforms.Count - 1; i >= 0; i--)
        {
            entry = BuildTransform(i, transformStages[i], entry);
        }
        var output = new SourceOutput(entry, _run, sourceStage, _parts.Filter, _plan.ChunkSize, _token)
        {
            NestedReads = _reads,
        };
        var produce = Task.Run(() => ProduceAsync(output, entry), CancellationToken.None);
        try
        {
            // Completion: the producer, then every stage (links propagate), then flush the schema sample into the sinks.
            await produce;
            await conform.Completion;
            foreach (var sampled in _parts.Conformer.FlushBatches())
            {
                conformStage.CountOut(sampled.RowCount);
                await FanOutAsync(sampled);
            }
            _sinkInputs.ForEach(input => input.Complete());
            await Task.WhenAll(_writers.Select(w => w.Completion));
        }
        catch
        {
            await FailAsync([produce, conform.Completion]);
            throw;
        }
    }

    private async Task ProduceAsync(SourceOutput output, ITargetBlock<ColumnBatch> entry)
    {
        try
        {
            await _parts.Source.ReadAsync(output, _token);
            await output.FlushAsync();
            entry.Complete();
        }
        catch (Exception e)
        {
            entry.Fault(e);
            await _cts.CancelAsync();
            throw;
        }
    }

    /// <summary>After a failure: cancels every block, waits for them and throws the first real error (not the
    /// cancellations it caused).</summary>
    private async Task FailAsync(List<Task> tasks)
    {
        await _cts.CancelAsync();
        tasks.AddRange(_transformBlocks.Select(b => b.Completion));
        tasks.AddRange(_writers.Select(b => b.Completion));
        tasks.AddRange(_sinkInputs.Select(b => b.Completion));
        try
        {
            await Task.WhenAll(tasks);
        }
        catch
        {
            // Inspected below.
        }
        var root = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
            .Select(RunFailure.Unwrap).FirstOrDefault(e => e is not OperationCanceledException);
        if (root is not null)
        {
            throw root;
        }
    }

    private void WatchFault(IDataflowBlock block) =>
        block.Completion.ContinueWith(_ => _cts.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    /// <summary>A sink: its input buffer linked to its writers, each an ActionBlock writing its own files (and making
    /// row groups of the spec's batch size from the batches it takes).</summary>
    private void BuildSink(int s, StageCounters stage)
    {
        var planned = _plan.SinkBatch(s);
        var batcher = new BufferBlock<ColumnBatch>(
            new DataflowBlockOptions { BoundedCapacity = planned.BoundedCapacity ?? DataflowBlockOptions.Unbounded, CancellationToken = _token });
        var w = 0;
        foreach (var plannedWriter in _plan.Writers(s))
        {
            var writer = BuildWriter(_parts.Sinks[s][w], w, _parts.StagingFolders[s], stage, countWritten: s == 0, plannedWriter);
            batcher.LinkTo(writer, new DataflowLinkOptions { PropagateCompletion = true });
            _writers.Add(writer);
            WatchFault(writer);
            w++;
        }
        _sinkInputs.Add(batcher);
        WatchFault(batcher);
    }

    private ActionBlock<ColumnBatch> BuildWriter(ISink sink, int writerIndex, string staging, StageCounters stage, bool countWritten, PlannedBlock planned)
    {
        TableSchema? current = null;
        return new ActionBlock<ColumnBatch>(async batch =>
        {
            stage.CountIn(batch.RowCount);
            var schema = batch.Schema!;
            if (current is null)
            {
                await _parts.Prepared.WaitAsync(_token);
                await sink.OpenAsync(schema, staging, writerIndex, _token);
                current = schema;
            }
            else if (schema.Version > current.Version)
            {
                // A newer schema finishes the writer's files first.
                await sink.ChangeSchemaAsync(schema, _token);
                current = schema;
            }
            // A batch of an older schema (another writer moved on first) is widened to this writer's schema.
            await sink.WriteBatchAsync(ReferenceEquals(schema, current) ? batch : ColumnBatch.FromRows(current, current.Fit(batch.ToRows())), _token);
            stage.CountOut(batch.RowCount);
            await _run.Checkpoint("write", _token);
            if (countWritten)
            {
                _run.Counters.CountWritten(batch.RowCount);
            }
        }, planned.ExecutionOptions(_token));
    }

    /// <summary>Conform and fan out: every batch goes to every sink, waiting (never dropping) while a sink is full.</summary>
    private ActionBlock<ColumnBatch> BuildConform(StageCounters stage)
    {
        var conform = new ActionBlock<ColumnBatch>(async batch =>
        {
            stage.CountIn(batch.RowCount);
            foreach (var conformed in _parts.Conformer.AddBatch(batch))
            {
                stage.CountOut(conformed.RowCount);
                await FanOutAsync(conformed);
            }
        }, _plan.Conform.ExecutionOptions(_token));
        WatchFault(conform);
        return conform;
    }

    /// <summary>Sends a conformed batch to every sink.</summary>
    private async Task FanOutAsync(ColumnBatch batch)
    {
        if (batch.RowCount == 0)
        {
            return;
        }
        foreach (var input in _sinkInputs)
        {
            if (!await input.SendAsync(batch, _token))
            {
                _token.ThrowIfCancellationRequested();
                throw new InvalidOperationException("a sink stopped accepting records");
            }
        }
    }

    /// <summary>A transform as a TransformBlock over batches: a column batch through the transform's batch kernel where
    /// it has one, otherwise record by record, each record becoming zero (filtered), one or many (explode) records.</summary>
    private TransformBlock<ColumnBatch, ColumnBatch> BuildTransform(int index, StageCounters stage, ITargetBlock<ColumnBatch> next)
    {
        var (spec, transform) = _parts.Transforms[index];
        var name = $"transforms[{index}] ({Components.For(spec.GetType()).Type})";
        // The first transform, when a select follows, need not carry the columns that select does not read.
        var kernel = index == 0 && transform is ICarriedColumns carrying && _reads.TopLevel is { } read ? carrying.CarryingOnly(read) : transform as IBatchTransform;
        var block = new TransformBlock<ColumnBatch, ColumnBatch>(batch =>
        {
            stage.CountIn(batch.RowCount);
            if (!batch.IsRecords && kernel is not null && kernel.TryApply(batch) is { } result)
            {
                _run.Counters.CountFiltered(result.Filtered);
                _run.Counters.CountAdded(result.Added);
                stage.CountOut(result.Batch.RowCount);
                return result.Batch;
            }
            var output = new List<Record>(batch.RowCount);
            foreach (var record in batch.ToRecords())
            {
                Apply(transform, name, record, output);
            }
            stage.CountOut(output.Count);
            return ColumnBatch.FromRecords([.. output]);
        }, _plan.Transform(index).ExecutionOptions(_token));
        block.LinkTo(next, new DataflowLinkOptions { PropagateCompletion = true });
        _transformBlocks.Add(block);
        WatchFault(block);
        return block;
    }

    /// <summary>Applies a transform to one record, counting what it filtered or added and dead-lettering what failed.</summary>
    private void Apply(ITransform transform, string stage, Record record, List<Record> output)
    {
        var counters = _run.Counters;
        var before = output.Count;
        try
        {
            transform.Apply(record, output);
        }
        catch (RecordException e)
        {
            output.RemoveRange(before, output.Count - before);
            counters.CountFailed();
            _run.DeadLetters.Write(new DeadLetter
            {
                Stage = stage,
                Reason = e.Message,
                Origin = record.Origin,
                Column = e.Column,
                Value = e.Value is null ? null : ValueConverter.ToText(e.Value),
                Record = record,
            });
            return;
        }
        var produced = output.Count - before;
        if (produced == 0)
        {
            counters.CountFiltered();
        }
        else if (produced > 1)
        {
            counters.CountAdded(produced - 1);
        }
    }

    /// <summary>The source's view of the mesh entry: counts reads, skips records at or below the incremental cursor,
    /// and sends chunks of records with back-pressure (one dataflow message per chunk, not per record, keeps the
    /// per-record cost of the mesh low).</summary>
    private sealed class SourceOutput(ITargetBlock<ColumnBatch> entry, RunContext run, StageCounters stage, IncrementalFilter? filter, int chunkSize, CancellationToken token) : ISourceOutput
    {
        /// <summary>A chunk waits no longer than this for more records, so slow sources (HTTP) still flow steadily.</summary>
        private static readonly long MaxChunkAge = System.Diagnostics.Stopwatch.Frequency / 10;

        public NestedReads NestedReads { get; init; } = NestedReads.None;

        private Record[] _chunk = new Record[chunkSize];
        private int _count;
        private long _chunkStarted;

        public ValueTask SendAsync(Record record, CancellationToken cancellationToken)
        {
            run.Counters.CountRead();
            stage.CountIn();
            stage.CountOut();
            if (filter is not null)
            {
                filter.Stage.CountIn();
                var value = filter.Path.Read(record);
                if (filter.Last is { } last && CursorKey.From(value) is { } key && key <= last)
                {
                    run.Counters.CountFiltered();
                    return ValueTask.CompletedTask;
                }
                record.Cursor = value;
                filter.Stage.CountOut();
            }
            if (_count == 0)
            {
                _chunkStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            _chunk[_count++] = record;
            return _count == _chunk.Length || System.Diagnostics.Stopwatch.GetTimestamp() - _chunkStarted > MaxChunkAge
                ? FlushAsync()
                : ValueTask.CompletedTask;
        }

        public async ValueTask FlushAsync()
        {
            if (_count == 0)
            {
                return;
            }
            var chunk = _count == _chunk.Length ? _chunk : _chunk[.._count];
            _chunk = new Record[_chunk.Length];
            _count = 0;
            await SendToMeshAsync(ColumnBatch.FromRecords(chunk));
        }

        public int BatchRows => chunkSize;

        public async ValueTask SendBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
        {
            if (filter is not null || batch.IsRecords)
            {
                // The incremental cursor is read and carried record by record.
                foreach (var record in batch.ToRecords())
                {
                    await SendAsync(record, cancellationToken);
                }
                return;
            }
            run.Counters.CountRead(batch.RowCount);
            stage.CountIn(batch.RowCount);
            stage.CountOut(batch.RowCount);
            await FlushAsync();
            // A batch of columns and no row (a CSV file with only its header) goes on too: it gives a run without rows its columns.
            if (batch.RowCount > 0 || batch.Names.Length > 0)
            {
                await SendToMeshAsync(batch);
            }
        }

        private async ValueTask SendToMeshAsync(ColumnBatch batch)
        {
            if (!await entry.SendAsync(batch, token))
            {
                token.ThrowIfCancellationRequested();
                throw new OperationCanceledException("the mesh stopped accepting records");
            }
        }

        public void Reject(string origin, string reason, string? raw)
        {
            run.Counters.CountRead();
            stage.CountIn();
            run.Counters.CountFailed();
            run.DeadLetters.Write(new DeadLetter { Stage = "source", Reason = reason, Origin = origin, Raw = raw });
        }

        public void RejectValue(string origin, string column, string? value, string reason, string? raw)
        {
            run.Counters.CountRead();
            stage.CountIn();
            run.Counters.CountFailed();
            run.DeadLetters.Write(new DeadLetter { Stage = "source", Reason = reason, Origin = origin, Column = column, Value = value, Raw = raw });
        }

        public void RejectRequest(DeadLetter letter)
        {
            run.Counters.CountFailedRequest();
            run.DeadLetters.Write(letter);
        }
    }
}
