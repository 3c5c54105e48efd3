// Builds and runs the TPL Dataflow mesh of one run: source → transforms → conform and fan-out → batch → writers.
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks.Dataflow;
using Etl.Lake;
using Etl.Records;
using Etl.Sinks;
using Etl.Sources;
using Etl.Spec;
using Etl.Transforms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Runtime;

internal static class RecordMesh
{
    /// <summary>Skips source records at or below the last committed incremental cursor.</summary>
    internal sealed record IncrementalFilter(RecordPath Path, CursorKey? Last, StageCounters Stage);

    public static async Task RunAsync(RunContext run, ISource source, IncrementalFilter? filter, List<(TransformSpec Spec, ITransform Transform)> transforms,
        Conformer conformer, List<List<ISink>> sinks, List<LakeCommitter> committers, CancellationTokenSource cts)
    {
        var spec = run.Spec.Spec;
        var batch = spec.Batch ?? new BatchSpec();
        var layout = MeshPlan.Layout(batch);
        var token = cts.Token;
        var counters = run.Counters;
        var faults = new List<Task>();

        // Stage counters in mesh order, for progress displays and the manifest.
        var sourceStage = counters.AddStage($"source ({Components.For(spec.Source.GetType()).Type})", "Task");
        var transformStages = transforms.Select((t, i) => counters.AddStage($"transforms[{i}] ({Components.For(t.Spec.GetType()).Type})", "Transform")).ToList();
        var conformStage = counters.AddStage("conform + fan-out", "Action");
        var sinkStages = spec.Sinks.Select((s, i) => counters.AddStage($"sinks[{i}] ({Components.For(s.GetType()).Type} {s.Path})", "Batch→Action")).ToList();

        void WatchFault(IDataflowBlock block) =>
            faults.Add(block.Completion.ContinueWith(t => cts.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default));

        // Sinks: BatchBlock per sink, linked to its writers (each an ActionBlock writing its own files).
        var sinkInputs = new List<BatchBlock<object?[]>>();
        var writerBlocks = new List<ActionBlock<object?[][]>>();
        for (var s = 0; s < sinks.Count; s++)
        {
            var batcher = new BatchBlock<object?[]>(batch.Size, new GroupingDataflowBlockOptions { BoundedCapacity = batch.Size, CancellationToken = token });
            var sinkCounters = sinkStages[s];
            var first = s == 0;
            for (var w = 0; w < sinks[s].Count; w++)
            {
                var sink = sinks[s][w];
                var writerIndex = w;
                var staging = committers[s].StagingFolder;
                var opened = false;
                var writer = new ActionBlock<object?[][]>(async rows =>
                {
                    if (!opened)
                    {
                        await sink.OpenAsync(conformer.Schema!, staging, writerIndex, token);
                        opened = true;
                    }
                    sinkCounters.CountIn(rows.Length);
                    await sink.WriteBatchAsync(rows, token);
                    sinkCounters.CountOut(rows.Length);
                    TestHooks.Pause("write");
                    if (first)
                    {
                        counters.CountWritten(rows.Length);
                    }
                }, new ExecutionDataflowBlockOptions { BoundedCapacity = MeshPlan.WriterCapacity, MaxDegreeOfParallelism = 1, CancellationToken = token });
                batcher.LinkTo(writer, new DataflowLinkOptions { PropagateCompletion = true });
                writerBlocks.Add(writer);
                WatchFault(writer);
            }
            sinkInputs.Add(batcher);
            WatchFault(batcher);
        }

        // Conform and fan out: every row goes to every sink, waiting (never dropping) while a sink is full.
        async Task FanOut(IReadOnlyList<object?[]> rows)
        {
            foreach (var row in rows)
            {
                foreach (var input in sinkInputs)
                {
                    if (!await input.SendAsync(row, token))
                    {
                        token.ThrowIfCancellationRequested();
                        throw new InvalidOperationException("a sink stopped accepting records");
                    }
                }
            }
        }
        var conform = new ActionBlock<Record[]>(async chunk =>
        {
            conformStage.CountIn(chunk.Length);
            foreach (var record in chunk)
            {
                var rows = conformer.Add(record);
                conformStage.CountOut(rows.Count);
                await FanOut(rows);
            }
        }, new ExecutionDataflowBlockOptions { BoundedCapacity = layout.ChunkCapacity, MaxDegreeOfParallelism = 1, CancellationToken = token });
        WatchFault(conform);

        // Transforms, each a TransformBlock over chunks: per record zero (filtered), one or many (explode) records out.
        ITargetBlock<Record[]> entry = conform;
        var stageBlocks = new List<IDataflowBlock>();
        for (var i = transforms.Count - 1; i >= 0; i--)
        {
            var (tSpec, transform) = transforms[i];
            var index = i; // the lambda below runs after the loop has moved i on
            var type = Components.For(tSpec.GetType()).Type;
            var stage = transformStages[i];
            var block = new TransformBlock<Record[], Record[]>(chunk =>
            {
                stage.CountIn(chunk.Length);
                var output = new List<Record>(chunk.Length);
                foreach (var record in chunk)
                {
                    var before = output.Count;
                    try
                    {
                        transform.Apply(record, output);
                    }
                    catch (RecordException e)
                    {
                        output.RemoveRange(before, output.Count - before);
                        counters.CountFailed();
                        run.DeadLetters.Write(new DeadLetter
                        {
                            Stage = $"transforms[{index}] ({type})",
                            Reason = e.Message,
                            Origin = record.Origin,
                            Column = e.Column,
                            Value = e.Value is null ? null : ValueConverter.ToText(e.Value),
                            Record = record,
                        });
                        continue;
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
                stage.CountOut(output.Count);
                return output.ToArray();
            }, new ExecutionDataflowBlockOptions
            {
                BoundedCapacity = layout.ChunkCapacity,
                MaxDegreeOfParallelism = batch.Parallelism,
                EnsureOrdered = true,
                CancellationToken = token,
            });
            block.LinkTo(entry, new DataflowLinkOptions { PropagateCompletion = true });
            entry = block;
            stageBlocks.Add(block);
            WatchFault(block);
        }

        var output = new SourceOutput(entry, run, sourceStage, filter, layout.ChunkSize, token);
        var produce = Task.Run(async () =>
        {
            try
            {
                await source.ReadAsync(output, token);
                await output.FlushAsync();
                entry.Complete();
            }
            catch (Exception e)
            {
                entry.Fault(e);
                cts.Cancel();
                throw;
            }
        }, CancellationToken.None);

        // Completion: the producer, then every stage (links propagate), then flush the schema sample into the sinks.
        try
        {
            await produce;
            await conform.Completion;
            var sampled = conformer.Flush();
            conformStage.CountOut(sampled.Count);
            await FanOut(sampled);
            foreach (var input in sinkInputs)
            {
                input.Complete();
            }
            await Task.WhenAll(writerBlocks.Select(w => w.Completion));
        }
        catch
        {
            cts.Cancel();
            var all = new List<Task> { produce, conform.Completion };
            all.AddRange(stageBlocks.Select(b => b.Completion));
            all.AddRange(writerBlocks.Select(b => b.Completion));
            all.AddRange(sinkInputs.Select(b => b.Completion));
            try
            {
                await Task.WhenAll(all);
            }
            catch
            {
                // The first real error (not the cancellations it caused) is the one to report.
            }
            var root = all.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions)
                .Select(PipelineRunner.Unwrap).FirstOrDefault(e => e is not OperationCanceledException);
            if (root is not null)
            {
                throw root;
            }
            throw;
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
