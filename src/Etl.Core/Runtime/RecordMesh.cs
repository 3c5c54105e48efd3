// Builds and runs the TPL Dataflow mesh of one run: source → transforms → conform and fan-out → batch → writers.
using System.Threading.Tasks.Dataflow;
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
    IReadOnlyList<string> StagingFolders);

internal sealed class RecordMesh
{
    /// <summary>A row and the schema version it was made under.</summary>
    internal readonly record struct ConformedRow(TableSchema Schema, object?[] Values);

    /// <summary>Skips source records at or below the last committed incremental cursor.</summary>
    internal sealed record IncrementalFilter(RecordPath Path, CursorKey? Last, StageCounters Stage);

    private readonly RunContext _run;
    private readonly MeshPlan _plan;
    private readonly MeshParts _parts;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationToken _token;
    private readonly List<BatchBlock<ConformedRow>> _sinkInputs = [];
    private readonly List<ActionBlock<ConformedRow[]>> _writers = [];
    private readonly List<IDataflowBlock> _transformBlocks = [];

    private RecordMesh(RunContext run, MeshPlan plan, MeshParts parts, CancellationTokenSource cts)
    {
        (_run, _plan, _parts, _cts, _token) = (run, plan, parts, cts, cts.Token);
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
        ITargetBlock<Record[]> entry = conform;
        for (var i = _parts.Transforms.Count - 1; i >= 0; i--)
        {
            entry = BuildTransform(i, transformStages[i], entry);
        }
        var output = new SourceOutput(entry, _run, sourceStage, _parts.Filter, _plan.ChunkSize, _token);
        var produce = Task.Run(() => ProduceAsync(output, entry), CancellationToken.None);
        try
        {
            // Completion: the producer, then every stage (links propagate), then flush the schema sample into the sinks.
            await produce;
            await conform.Completion;
            var sampled = _parts.Conformer.Flush();
            conformStage.CountOut(sampled.Count);
            await FanOutAsync(sampled);
            _sinkInputs.ForEach(input => input.Complete());
            await Task.WhenAll(_writers.Select(w => w.Completion));
        }
        catch
        {
            await FailAsync([produce, conform.Completion]);
            throw;
        }
    }

    private async Task ProduceAsync(SourceOutput output, ITargetBlock<Record[]> entry)
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

    /// <summary>A sink: its BatchBlock linked to its writers, each an ActionBlock writing its own files.</summary>
    private void BuildSink(int s, StageCounters stage)
    {
        var planned = _plan.SinkBatch(s);
        var batcher = new BatchBlock<ConformedRow>(planned.BatchSize!.Value,
            new GroupingDataflowBlockOptions { BoundedCapacity = planned.BoundedCapacity ?? DataflowBlockOptions.Unbounded, CancellationToken = _token });
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

    private ActionBlock<ConformedRow[]> BuildWriter(ISink sink, int writerIndex, string staging, StageCounters stage, bool countWritten, PlannedBlock planned)
    {
        TableSchema? current = null;
        return new ActionBlock<ConformedRow[]>(async rows =>
        {
            stage.CountIn(rows.Length);
            // Rows made under one schema go together; a newer schema finishes the writer's files first.
            for (var start = 0; start < rows.Length;)
            {
                var schema = rows[start].Schema;
                var end = start + 1;
                while (end < rows.Length && ReferenceEquals(rows[end].Schema, schema))
                {
                    end++;
                }
                if (current is null)
                {
                    await sink.OpenAsync(schema, staging, writerIndex, _token);
                    current = schema;
                }
                else if (schema.Version > current.Version)
                {
                    await sink.ChangeSchemaAsync(schema, _token);
                    current = schema;
                }
                var values = rows[start..end].Select(r => r.Values).ToArray();
                // A batch of an older schema (another writer moved on first) is widened to this writer's schema.
                await sink.WriteBatchAsync(ReferenceEquals(schema, current) ? values : current.Fit(values), _token);
                start = end;
            }
            stage.CountOut(rows.Length);
            await _run.Checkpoint("write", _token);
            if (countWritten)
            {
                _run.Counters.CountWritten(rows.Length);
            }
        }, planned.ExecutionOptions(_token));
    }

    /// <summary>Conform and fan out: every row goes to every sink, waiting (never dropping) while a sink is full.</summary>
    private ActionBlock<Record[]> BuildConform(StageCounters stage)
    {
        var conform = new ActionBlock<Record[]>(async chunk =>
        {
            stage.CountIn(chunk.Length);
            foreach (var record in chunk)
            {
                var rows = _parts.Conformer.Add(record);
                stage.CountOut(rows.Count);
                await FanOutAsync(rows);
            }
        }, _plan.Conform.ExecutionOptions(_token));
        WatchFault(conform);
        return conform;
    }

    /// <summary>Sends rows the conformer just made, tagged with the schema they were made under.</summary>
    private async Task FanOutAsync(IReadOnlyList<object?[]> rows)
    {
        var schema = _parts.Conformer.Schema!;
        foreach (var row in rows)
        {
            foreach (var input in _sinkInputs)
            {
                if (!await input.SendAsync(new ConformedRow(schema, row), _token))
                {
                    _token.ThrowIfCancellationRequested();
                    throw new InvalidOperationException("a sink stopped accepting records");
                }
            }
        }
    }

    /// <summary>A transform as a TransformBlock over chunks: per record zero (filtered), one or many (explode) records out.</summary>
    private TransformBlock<Record[], Record[]> BuildTransform(int index, StageCounters stage, ITargetBlock<Record[]> next)
    {
        var (spec, transform) = _parts.Transforms[index];
        var name = $"transforms[{index}] ({Components.For(spec.GetType()).Type})";
        var block = new TransformBlock<Record[], Record[]>(chunk =>
        {
            stage.CountIn(chunk.Length);
            var output = new List<Record>(chunk.Length);
            foreach (var record in chunk)
            {
                Apply(transform, name, record, output);
            }
            stage.CountOut(output.Count);
            return output.ToArray();
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
    private sealed class SourceOutput(ITargetBlock<Record[]> entry, RunContext run, StageCounters stage, IncrementalFilter? filter, int chunkSize, CancellationToken token) : ISourceOutput
    {
        /// <summary>A chunk waits no longer than this for more records, so slow sources (HTTP) still flow steadily.</summary>
        private static readonly long MaxChunkAge = System.Diagnostics.Stopwatch.Frequency / 10;

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
            if (!await entry.SendAsync(chunk, token))
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
