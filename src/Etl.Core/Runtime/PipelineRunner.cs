// Builds the TPL Dataflow mesh of a spec (source → transforms → conform/fan-out → batch → writers), runs it and commits.
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

public sealed record RunOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public ILogger Logger { get; init; } = NullLogger.Instance;
    public int? Seed { get; init; }

    /// <summary>Called once the run's context exists, so a progress display can watch its counters.</summary>
    public Action<RunContext>? OnStart { get; init; }

    /// <summary>Ignore the incremental state: read from the source's <c>initial</c> cursor (or everything) again.</summary>
    public bool FullRefresh { get; init; }
}

public sealed class PipelineRunner(RunOptions? options = null)
{
    private readonly RunOptions _options = options ?? new RunOptions();

    public static string Version { get; } =
        typeof(PipelineRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static string NewRunId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public async Task<RunResult> RunAsync(LoadedSpec loaded, CancellationToken cancellationToken)
    {
        var spec = loaded.Spec;
        var started = _options.Time.GetUtcNow();
        var runId = NewRunId(started);
        var deadLetterFolder = spec.Errors?.DeadLetterPath ?? Path.Combine(spec.Sinks[0].Path, "_errors");
        foreach (var (name, value) in loaded.Parameters)
        {
            if (IsSecretName(name))
            {
                loaded.Secrets.Add(value);
            }
        }
        await using var deadLetters = new DeadLetterWriter(deadLetterFolder, runId, loaded.Secrets);
        var run = new RunContext
        {
            RunId = runId,
            Spec = loaded,
            DeadLetters = deadLetters,
            Time = _options.Time,
            Logger = _options.Logger,
            Random = _options.Seed is { } seed ? new Random(seed) : Random.Shared,
        };
        _options.OnStart?.Invoke(run);
        if (run.Logger.IsEnabled(LogLevel.Information))
        {
            run.Logger.LogInformation("Run {RunId} of {Spec} started ({SpecPath})", runId, spec.Name, loaded.FilePath);
        }
        var committers = spec.Sinks.Select(s => new LakeCommitter(s, runId)).ToList();
        var sinks = new List<List<ISink>>();
        Exception? failure = null;
        var status = RunStatus.Succeeded;
        var sinkResults = new List<SinkResult>();
        var timeout = spec.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : Timeout.InfiniteTimeSpan;
        using var timeoutCts = new CancellationTokenSource(timeout, _options.Time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        Conformer? conformer = null;
        var incremental = spec.Source.Incremental;
        var cursor = incremental is null ? null : new CursorTracker();
        try
        {
            // The locks first: a run that cannot have every sink folder does nothing at all.
            foreach (var committer in committers)
            {
                committer.Prepare(started);
            }
            IncrementalFilter? filter = null;
            var runtimeValues = new Dictionary<string, string>(StringComparer.Ordinal) { ["incremental.last"] = "" };
            if (incremental is not null)
            {
                var last = ReadLastCursor(incremental, committers[0].SinkFolder, run);
                runtimeValues["incremental.last"] = last ?? "";
                filter = new IncrementalFilter(RecordPath.Parse(incremental.CursorField), last is null ? null : CursorKey.FromText(last),
                    run.Counters.AddStage($"incremental ({incremental.CursorField} > {(last is null ? "any" : last)})", "Filter"));
            }
            var sourceSpec = ExpandRuntime(spec.Source, runtimeValues);
            var source = (ISource)Components.For(sourceSpec.GetType()).Create(sourceSpec, run);
            var transforms = (spec.Transforms ?? []).Select(s => (Spec: s, Transform: (ITransform)Components.For(s.GetType()).Create(s, run))).ToList();
            foreach (var sinkSpec in spec.Sinks)
            {
                sinks.Add([.. Enumerable.Range(0, Math.Max(1, sinkSpec.Writers)).Select(_ => (ISink)Components.For(sinkSpec.GetType()).Create(sinkSpec, run))]);
            }
            conformer = new Conformer(spec, run) { Cursor = cursor };
            await RunMeshAsync(run, source, filter, transforms, conformer, sinks, committers, cts);
        }
        catch (SinkLockedException e)
        {
            status = RunStatus.Locked;
            failure = e;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or TaskCanceledException)
        {
            status = RunStatus.Cancelled;
            failure = new OperationCanceledException("cancelled; nothing was committed, the sinks hold what they held before", e);
        }
        catch (Exception e) when (timeoutCts.IsCancellationRequested && e is OperationCanceledException)
        {
            status = RunStatus.Failed;
            failure = new TimeoutException($"the run did not finish within timeoutSeconds ({spec.TimeoutSeconds}s)");
        }
        catch (Exception e)
        {
            status = cancellationToken.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed;
            failure = Unwrap(e);
        }

        if (status == RunStatus.Succeeded)
        {
            var maxRecords = spec.Errors?.MaxFailedRecords ?? 0;
            var maxRequests = spec.Errors?.MaxFailedRequests ?? 0;
            if (run.Counters.Failed > maxRecords || run.Counters.FailedRequests > maxRequests)
            {
                status = RunStatus.TooManyFailures;
                failure = new InvalidOperationException(
                    run.Counters.FailedRequests > maxRequests
                        ? $"{run.Counters.FailedRequests} request(s) failed, more than errors.maxFailedRequests ({maxRequests}); nothing was committed; see {deadLetters.FilePath}"
                        : $"{run.Counters.Failed} record(s) failed, more than errors.maxFailedRecords ({maxRecords}); nothing was committed; see {deadLetters.FilePath}");
            }
        }

        var ended = _options.Time.GetUtcNow();
        if (status == RunStatus.Succeeded)
        {
            var decided = false;
            try
            {
                // Plan every sink, then write every journal, then apply: a kill once the journals are written leaves
                // each sink to be rolled forward by the next run, so the sinks end up agreeing.
                var journals = new List<CommitJournal>();
                for (var s = 0; s < sinks.Count; s++)
                {
                    var files = new List<StagedFile>();
                    foreach (var writer in sinks[s])
                    {
                        files.AddRange(await writer.CloseAsync(cancellationToken));
                    }
                    var sinkSpec = spec.Sinks[s];
                    var schema = conformer?.Schema;
                    var counter = sinks[s][0];
                    var extra = s == 0 && incremental is not null && cursor?.Max is { } max
                        ? [new IncrementalState(incremental.CursorField, max.Text, runId, _options.Time.GetUtcNow()).ToJournalWrite()]
                        : Array.Empty<JournalWrite>();
                    journals.Add(committers[s].Plan(files, all => Manifest(run, loaded, started, _options.Time.GetUtcNow(), sinkSpec, schema, all),
                        path => counter.CountFileRowsAsync(path, CancellationToken.None).GetAwaiter().GetResult(), extra));
                    sinkResults.Add(new SinkResult(Components.For(sinkSpec.GetType()).Type, sinkSpec.Path, files.Sum(f => f.Rows), files));
                }
                cancellationToken.ThrowIfCancellationRequested();
                for (var s = 0; s < sinks.Count; s++)
                {
                    committers[s].Decide(journals[s]);
                    decided = true;
                }
                // Decided: a Ctrl+C from here on no longer stops the commit.
                for (var s = 0; s < sinks.Count; s++)
                {
                    committers[s].Apply();
                }
            }
            catch (Exception e)
            {
                status = !decided && cancellationToken.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed;
                failure = Unwrap(e);
                sinkResults.Clear();
            }
        }
        foreach (var writer in sinks.SelectMany(w => w))
        {
            await writer.DisposeAsync();
        }
        foreach (var committer in committers)
        {
            // Releases every lock; before the decision it also removes the staging folder.
            committer.Abort();
        }
        ended = _options.Time.GetUtcNow();
        var c = run.Counters;
        if (status == RunStatus.Succeeded && run.Logger.IsEnabled(LogLevel.Information))
        {
            run.Logger.LogInformation("Run {RunId} of {Spec} committed: read {Read}, filtered {Filtered}, failed {Failed}, written {Written}", runId, spec.Name, c.Read, c.Filtered, c.Failed, c.Written);
        }
        else if (status != RunStatus.Succeeded)
        {
            run.Logger.LogError("Run {RunId} of {Spec} {Status}: {Error}", runId, spec.Name, status, loaded.Secrets.Redact(failure?.Message ?? ""));
        }
        return new RunResult
        {
            RunId = runId,
            SpecName = spec.Name,
            SpecPath = loaded.FilePath,
            Status = status,
            Error = failure is null ? null : loaded.Secrets.Redact(failure.Message),
            StartedAt = started,
            EndedAt = ended,
            Read = c.Read,
            Filtered = c.Filtered,
            Failed = c.Failed,
            Added = c.Added,
            Written = c.Written,
            Requests = c.Requests,
            Retries = c.Retries,
            FailedRequests = c.FailedRequests,
            Pages = c.Pages,
            Sinks = sinkResults,
            Stages = c.Stages,
            DeadLetterFile = deadLetters.Count > 0 ? deadLetters.FilePath : null,
        };
    }

    private static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } a => Unwrap(a.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? a.InnerExceptions[0]),
        _ => e,
    };

    private static bool IsSecretName(string name)
    {
        var n = name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return n.Contains("password", StringComparison.Ordinal) || n.Contains("passwd", StringComparison.Ordinal)
            || n.Contains("secret", StringComparison.Ordinal) || n.Contains("token", StringComparison.Ordinal)
            || n.Contains("apikey", StringComparison.Ordinal) || n.Contains("accesskey", StringComparison.Ordinal)
            || n.Contains("credential", StringComparison.Ordinal) || n.Contains("privatekey", StringComparison.Ordinal);
    }

    /// <summary>The cursor value this run starts after: the committed state, unless --full-refresh, else <c>initial</c>.</summary>
    private string? ReadLastCursor(IncrementalSpec incremental, string stateFolder, RunContext run)
    {
        if (_options.FullRefresh)
        {
            return incremental.Initial;
        }
        var state = IncrementalState.TryRead(stateFolder);
        if (state is not null && state.CursorField != incremental.CursorField)
        {
            run.Logger.LogWarning("{State} tracks cursor field {Old}, not {New}: starting from \"initial\" again", Path.Combine(stateFolder, LakeCommitter.StateName), state.CursorField, incremental.CursorField);
            return incremental.Initial;
        }
        return state?.Last ?? incremental.Initial;
    }

    /// <summary>Fills ${incremental.last} (and any runtime placeholder) in every string of the source spec, whatever its type,
    /// so a source such as http gets the value in its query without knowing where it came from.</summary>
    internal static SourceSpec ExpandRuntime(SourceSpec source, IReadOnlyDictionary<string, string> values)
    {
        var node = JsonSerializer.SerializeToNode(source, SpecJson.Options);
        if (node is null || !node.ToJsonString().Contains("${" + Templates.RuntimePrefix, StringComparison.Ordinal))
        {
            return source;
        }
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj.ToList())
                    {
                        if (child is JsonValue v && v.TryGetValue<string>(out var text))
                        {
                            obj[key] = Templates.ExpandRuntime(text, values);
                        }
                        else
                        {
                            Walk(child);
                        }
                    }
                    break;
                case JsonArray arr:
                    for (var i = 0; i < arr.Count; i++)
                    {
                        if (arr[i] is JsonValue v && v.TryGetValue<string>(out var text))
                        {
                            arr[i] = Templates.ExpandRuntime(text, values);
                        }
                        else
                        {
                            Walk(arr[i]);
                        }
                    }
                    break;
            }
        }
        Walk(node);
        return node.Deserialize<SourceSpec>(SpecJson.Options) ?? source;
    }

    /// <summary>Skips records at or below the last committed cursor and tags the others with their cursor value.</summary>
    private sealed record IncrementalFilter(RecordPath Path, CursorKey? Last, StageCounters Stage);

    private static async Task RunMeshAsync(RunContext run, ISource source, IncrementalFilter? filter, List<(TransformSpec Spec, ITransform Transform)> transforms,
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
                .Select(Unwrap).FirstOrDefault(e => e is not OperationCanceledException);
            if (root is not null)
            {
                throw root;
            }
            throw;
        }
    }

    private static RunManifest Manifest(RunContext run, LoadedSpec loaded, DateTimeOffset started, DateTimeOffset ended, SinkSpec sink, TableSchema? schema, IReadOnlyList<ManifestFile> files)
    {
        var c = run.Counters;
        return new RunManifest
        {
            RunId = run.RunId,
            Spec = loaded.Spec.Name,
            SpecSha256 = loaded.Sha256,
            Parameters = loaded.Parameters.ToDictionary(kv => kv.Key, kv => IsSecretName(kv.Key) ? Redactor.Mask : loaded.Secrets.Redact(kv.Value)),
            StartedAt = started,
            EndedAt = ended,
            EtlVersion = Version,
            Mode = sink.Mode.ToString().ToLowerInvariant(),
            Counts = new ManifestCounts(c.Read, c.Filtered, c.Failed, c.Added, c.Written, c.Requests, c.Retries, c.FailedRequests, c.Pages),
            Stages = [.. c.Stages.Select(s => new ManifestStage(s.Name, s.Kind, s.In, s.Out))],
            Schema = [.. (schema?.Columns ?? []).Select(col => new ManifestColumn(col.Name, col.Type.ToString()))],
            PartitionBy = sink.PartitionBy,
            Files = files,
        };
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
