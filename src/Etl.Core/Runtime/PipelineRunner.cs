// Runs one spec: takes the sink folders, builds the components, runs the mesh, commits, and says what happened.
using System.Runtime.ExceptionServices;
using Etl.Lake;
using Etl.Records;
using Etl.Sinks;
using Etl.Sources;
using Etl.Spec;
using Etl.Transforms;
using Microsoft.Extensions.Logging;

namespace Etl.Runtime;

public sealed class PipelineRunner(RunOptions? options = null)
{
    private readonly RunOptions _options = options ?? new RunOptions();

    /// <summary>The time and 32 random bits: an identifier, not a secret, so the process's own generator serves; the
    /// cryptographic one loads OpenSSL (≈ 10 ms of CPU) on the way to a run's first request.</summary>
    public static string NewRunId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{(uint)Random.Shared.NextInt64(1L << 32):x8}";

    public async Task<RunResult> RunAsync(LoadedSpec loaded, CancellationToken cancellationToken)
    {
        var spec = loaded.Spec;
        var started = _options.Time.GetUtcNow();
        var shard = _options.Shard;
        var runId = shard?.RunId ?? NewRunId(started);
        foreach (var (name, value) in loaded.Parameters)
        {
            if (SecretNames.IsSecret(name))
            {
                loaded.Secrets.Add(value);
            }
        }
        var deadLetterFolder = spec.Errors?.DeadLetterPath ?? Storage.StorageRegistry.For(spec.Sinks[0].Path).Combine(spec.Sinks[0].Path, "_errors");
        await using var deadLetters = new DeadLetterWriter(deadLetterFolder, shard is null ? runId : ShardRun.DeadLetterName(shard), loaded.Secrets);
        var run = new RunContext
        {
            RunId = runId,
            Spec = loaded,
            DeadLetters = deadLetters,
            Time = _options.Time,
            Logger = _options.Logger,
            Random = _options.Seed is { } seed ? new Random(seed) : Random.Shared,
            Checkpoint = _options.Checkpoint,
            Shard = shard,
        };
        _options.OnStart?.Invoke(run);
        if (run.Logger.IsEnabled(LogLevel.Information))
        {
            run.Logger.LogInformation("{Spec}: run {RunId} started ({SpecPath})", spec.Name, runId, loaded.FilePath);
        }
        var committers = spec.Sinks.Select(s => shard is null
            ? new LakeCommitter(s, runId, _options.Checkpoint) { Time = _options.Time }
            : ShardRun.Committer(s, shard, _options.Checkpoint, _options.Time)).ToList();
        var sinks = new List<IReadOnlyList<ISink>>();
        var conformer = new Conformer(spec, run);
        var shardRun = shard is null ? null : new ShardRun(run, shard, committers, started);
        var (failure, sinkResults) = await ExecuteAsync(run, started, committers, shardRun, sinks, conformer, cancellationToken);
        foreach (var writer in sinks.SelectMany(w => w))
        {
            await writer.DisposeAsync();
        }
        foreach (var committer in committers)
        {
            if (shardRun is { Complete: true })
            {
                committer.Dispose(); // the lease goes; the files stay for etl commit, kept by the shard's manifest
                continue;
            }
            // Releases every run lease; a sink this run did not commit to loses the files the run wrote there.
            await committer.AbortAsync();
        }
        return Finish(run, started, failure, sinkResults) with { SchemaChanges = [.. conformer.Changes.Select(c => c.ToString())] };
    }

    /// <summary>The run's work from the locks to the commit; returns the failure (none on success) and what each sink
    /// committed.</summary>
    private async Task<(RunFailure? Failure, IReadOnlyList<SinkResult> Sinks)> ExecuteAsync(RunContext run, DateTimeOffset started,
        List<LakeCommitter> committers, ShardRun? shardRun, List<IReadOnlyList<ISink>> sinks, Conformer conformer, CancellationToken cancellationToken)
    {
        var spec = run.Spec.Spec;
        var timeout = spec.TimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : Timeout.InfiniteTimeSpan;
        using var timeoutCts = new CancellationTokenSource(timeout, _options.Time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var cursor = spec.Source.Incremental is null ? null : new CursorTracker();
        conformer.Cursor = cursor;
        try
        {
            // The leases first: from then on a later run leaves this run's files alone.
            var alongside = CanPrepareAlongside(spec, shardRun);
            if (!alongside)
            {
                await PrepareAsync(committers, shardRun, started, cts.Token);
            }
            var parts = await BuildPartsAsync(run, committers[0].SinkFolder, [.. committers.Select(c => c.StagingFolder)], conformer, sinks, cts.Token);
            if (alongside && !parts.Source.WaitsOnNetwork)
            {
                await PrepareAsync(committers, shardRun, started, cts.Token);
            }
            else if (alongside)
            {
                // A network source's first requests need not wait for the leases: only its writers do. On the local disk
                // the preparation completes synchronously (≈ 20 ms of directory work), so it runs on the pool, not on
                // the way to the first request.
                parts = parts with { Prepared = Task.Run(() => PrepareAsync(committers, shardRun, started, cts.Token), CancellationToken.None) };
                _ = parts.Prepared.ContinueWith(_ => cts.Cancel(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
            await using (parts.Source.WaitsOnNetwork ? WriteRehearsal.Start(run, cts.Token) : null)
            {
                await RunMeshAsync(run, parts, cts);
            }
            if (shardRun is not null)
            {
                var written = await shardRun.CompleteAsync(sinks, conformer, cursor, cts.Token);
                // The whole run's limits are the commit's to apply; a shard that alone exceeds them says so at once.
                return (RunFailure.FromLimits(run) is { } shardTooMany ? shardTooMany with
                {
                    Error = new InvalidOperationException(
                    shardTooMany.Error.Message.Replace("nothing was committed", "the run cannot commit", StringComparison.Ordinal))
                } : null, written);
            }
        }
        catch (Exception e)
        {
            var failed = RunFailure.From(e, spec.TimeoutSeconds, cancellationToken, timeoutCts.Token);
            if (shardRun is not null)
            {
                await shardRun.FailAsync(failed.Error, conformer);
            }
            return (failed, []);
        }
        if (RunFailure.FromLimits(run) is { } tooMany)
        {
            return (tooMany, []);
        }
        var commit = new RunCommit(run, started, sinks, committers, conformer, cursor);
        try
        {
            return (null, await commit.CommitAsync(cancellationToken));
        }
        catch (Exception e)
        {
            var status = e is CommitConflictException ? RunStatus.Conflict
                : !commit.Decided && cancellationToken.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed;
            return (new RunFailure(status, RunFailure.Unwrap(e)), []);
        }
    }

    /// <summary>Whether the sinks can be leased while the source starts reading: not when a sink must fail on existing data
    /// (nothing may be requested then), nor when the source reads the incremental state or runs as a shard.</summary>
    private static bool CanPrepareAlongside(PipelineSpec spec, ShardRun? shardRun) =>
        shardRun is null && spec.Source.Incremental is null && spec.Sinks.All(s => s.Mode != SinkMode.ErrorIfExists);

    private static async Task PrepareAsync(List<LakeCommitter> committers, ShardRun? shardRun, DateTimeOffset started, CancellationToken cancellationToken)
    {
        foreach (var committer in committers)
        {
            await committer.PrepareAsync(started, cancellationToken);
        }
        if (shardRun is not null)
        {
            await shardRun.PrepareAsync(cancellationToken);
        }
    }

    /// <summary>Runs the mesh and waits for the sinks' preparation whatever happens (nothing may touch the leases while it
    /// runs); a failed preparation, which cancels the mesh, is the run's error.</summary>
    private static async Task RunMeshAsync(RunContext run, MeshParts parts, CancellationTokenSource cts)
    {
        try
        {
            await RecordMesh.RunAsync(run, MeshPlan.For(run.Spec), parts, cts);
        }
        catch
        {
            try
            {
                await parts.Prepared;
            }
            catch (Exception prepareError) when (prepareError is not OperationCanceledException)
            {
                ExceptionDispatchInfo.Throw(prepareError);
            }
            throw;
        }
        await parts.Prepared;
    }

    /// <summary>The source (with runtime placeholders filled), transforms and sink writers of the run.</summary>
    private async Task<MeshParts> BuildPartsAsync(RunContext run, string stateFolder, IReadOnlyList<string> stagingFolders, Conformer conformer,
        List<IReadOnlyList<ISink>> sinks, CancellationToken cancellationToken)
    {
        var spec = run.Spec.Spec;
        var incremental = spec.Source.Incremental;
        RecordMesh.IncrementalFilter? filter = null;
        var runtimeValues = new Dictionary<string, string>(StringComparer.Ordinal) { ["incremental.last"] = "" };
        if (incremental is not null)
        {
            var last = await ReadLastCursorAsync(incremental, stateFolder, run, cancellationToken);
            runtimeValues["incremental.last"] = last ?? "";
            filter = new RecordMesh.IncrementalFilter(RecordPath.Parse(incremental.CursorField), last is null ? null : CursorKey.FromText(last),
                run.Counters.AddStage($"incremental ({incremental.CursorField} > {last ?? "any"})", "Filter"));
        }
        var sourceSpec = run.Spec.SourceHasRuntimePlaceholders ? RuntimeExpansion.Apply(spec.Source, runtimeValues, run.Spec.SerializerOptions) : spec.Source;
        var source = (ISource)Components.For(sourceSpec.GetType()).Create(sourceSpec, run);
        var transforms = (spec.Transforms ?? []).Select(s => (s, (ITransform)Components.For(s.GetType()).Create(s, run))).ToList();
        foreach (var sinkSpec in spec.Sinks)
        {
            sinks.Add([.. Enumerable.Range(0, Math.Max(1, sinkSpec.Writers)).Select(_ => (ISink)Components.For(sinkSpec.GetType()).Create(sinkSpec, run))]);
        }
        return new MeshParts(source, filter, transforms, conformer, sinks, stagingFolders);
    }

    /// <summary>The cursor value this run starts after: the committed state, unless --full-refresh, else <c>initial</c>.</summary>
    private async Task<string?> ReadLastCursorAsync(IncrementalSpec incremental, string stateFolder, RunContext run, CancellationToken cancellationToken)
    {
        if (_options.FullRefresh)
        {
            return incremental.Initial;
        }
        var state = await IncrementalState.TryReadAsync(stateFolder, cancellationToken);
        if (state is not null && state.CursorField != incremental.CursorField)
        {
            run.Logger.LogWarning("{Spec}: {State} tracks cursor field {Old}, not {New}: starting from \"initial\" again", run.Spec.Spec.Name, $"{stateFolder}/{LakeCommitter.StateName}", state.CursorField, incremental.CursorField);
            return incremental.Initial;
        }
        return state?.Last ?? incremental.Initial;
    }

    private RunResult Finish(RunContext run, DateTimeOffset started, RunFailure? failure, IReadOnlyList<SinkResult> sinkResults)
    {
        var (spec, secrets, c) = (run.Spec.Spec, run.Spec.Secrets, run.Counters);
        var status = failure?.Status ?? RunStatus.Succeeded;
        if (failure is null && run.Shard is { } shard && run.Logger.IsEnabled(LogLevel.Information))
        {
            run.Logger.LogInformation("{Spec}: {Shard} of run {RunId} complete, not committed (etl commit does that once every shard is complete) — read {Read}, filtered {Filtered}, failed {Failed}, written {Written}",
                spec.Name, shard, run.RunId, c.Read, c.Filtered, c.Failed, c.Written);
        }
        else if (failure is null && run.Logger.IsEnabled(LogLevel.Information))
        {
            run.Logger.LogInformation("{Spec}: run {RunId} committed — read {Read}, filtered {Filtered}, failed {Failed}, written {Written}", spec.Name, run.RunId, c.Read, c.Filtered, c.Failed, c.Written);
        }
        else if (failure is not null)
        {
            run.Logger.LogError("{Spec}: run {RunId} {Status}: {Error}", spec.Name, run.RunId, status, secrets.Redact(failure.Error.Message));
        }
        return new RunResult
        {
            RunId = run.RunId,
            Shard = run.Shard?.ToString(),
            SpecName = spec.Name,
            SpecPath = run.Spec.FilePath,
            Status = status,
            Error = failure is null ? null : secrets.Redact(failure.Error.Message),
            StartedAt = started,
            EndedAt = _options.Time.GetUtcNow(),
            Read = c.Read,
            Filtered = c.Filtered,
            Failed = c.Failed,
            Added = c.Added,
            Written = c.Written,
            Requests = c.Requests,
            Retries = c.Retries,
            FailedRequests = c.FailedRequests,
            Pages = c.Pages,
            ParentRequests = c.ParentRequests,
            FailedParentRequests = c.FailedParentRequests,
            ParentRecordsWithoutKey = c.ParentRecordsWithoutKey,
            Sinks = sinkResults,
            Stages = c.Stages,
            DeadLetterFile = run.DeadLetters.Count > 0 ? run.DeadLetters.FilePath : null,
        };
    }
}
