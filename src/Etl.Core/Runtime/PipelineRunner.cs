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
            run.Logger.LogInformation("{Spec}: run {RunId} started ({SpecPath})", spec.Name, runId, loaded.FilePath);
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
            RecordMesh.IncrementalFilter? filter = null;
            var runtimeValues = new Dictionary<string, string>(StringComparer.Ordinal) { ["incremental.last"] = "" };
            if (incremental is not null)
            {
                var last = ReadLastCursor(incremental, committers[0].SinkFolder, run);
                runtimeValues["incremental.last"] = last ?? "";
                filter = new RecordMesh.IncrementalFilter(RecordPath.Parse(incremental.CursorField), last is null ? null : CursorKey.FromText(last),
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
            await RecordMesh.RunAsync(run, source, filter, transforms, conformer, sinks, committers, cts);
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
            run.Logger.LogInformation("{Spec}: run {RunId} committed — read {Read}, filtered {Filtered}, failed {Failed}, written {Written}", spec.Name, runId, c.Read, c.Filtered, c.Failed, c.Written);
        }
        else if (status != RunStatus.Succeeded)
        {
            run.Logger.LogError("{Spec}: run {RunId} {Status}: {Error}", spec.Name, runId, status, loaded.Secrets.Redact(failure?.Message ?? ""));
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

    internal static Exception Unwrap(Exception e) => e switch
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

}
