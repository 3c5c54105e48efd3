// What `etl commit` reports: the run's summed counts and files, or why nothing was committed.
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Runtime;

internal sealed class ShardCommitResult(LoadedSpec loaded, string runId, DateTimeOffset started, TimeProvider time)
{
    public RunResult AlreadyCommitted(LogEntry? entry) =>
        Base(RunStatus.Succeeded, null, entry?.Manifest.Counts, null) with
        {
            Note = entry is null
                ? $"run {runId} was committed already; nothing done"
                : $"run {runId} was committed already (version {entry.Version}, {entry.CommittedAt:u}); nothing done",
        };

    public RunResult Failed(RunStatus status, string error, IReadOnlyList<ShardManifest> complete) =>
        Base(status, error, complete.Count == 0 ? null : ShardTotals.Sum(complete).Counts, null) with
        {
            DeadLetterFile = DeadLetters(complete),
        };

    public RunResult Committed(IReadOnlyList<ShardManifest> manifests, ShardTotals totals) =>
        Base(RunStatus.Succeeded, null, totals.Counts, totals.RequestCounts) with
        {
            Sinks = [.. loaded.Spec.Sinks.Select((sink, s) => SinkOf(sink, manifests.SelectMany(m => m.Sinks[s].Files).ToList()))],
            Stages = [.. totals.Stages.Select(st => Stage(st))],
            SchemaChanges = totals.SchemaChanges,
            DeadLetterFile = DeadLetters(manifests),
        };

    private static string? DeadLetters(IReadOnlyList<ShardManifest> manifests) =>
        manifests.Select(m => m.DeadLetterFile).OfType<string>().ToList() is { Count: > 0 } files ? string.Join(", ", files) : null;

    private static SinkResult SinkOf(SinkSpec sink, List<ShardFile> files) =>
        new(Components.For(sink.GetType()).Type, sink.Path, files.Sum(f => f.Rows),
            [.. files.Select(f => new StagedFile(f.Path, f.RelativePath, f.Partition, f.Rows, f.Bytes, f.Schema))]);

    private static StageCounters Stage(ManifestStage stage)
    {
        var counters = new StageCounters(stage.Name, stage.Kind);
        counters.CountIn(stage.In);
        counters.CountOut(stage.Out);
        return counters;
    }

    private RunResult Base(RunStatus status, string? error, ManifestCounts? counts, ShardRequestCounts? requests) => new()
    {
        RunId = runId,
        SpecName = loaded.Spec.Name,
        SpecPath = loaded.FilePath,
        Status = status,
        Error = error is null ? null : loaded.Secrets.Redact(error),
        StartedAt = started,
        EndedAt = time.GetUtcNow(),
        Read = counts?.Read ?? 0,
        Filtered = counts?.Filtered ?? 0,
        Failed = counts?.Failed ?? 0,
        Added = counts?.Added ?? 0,
        Written = counts?.Written ?? 0,
        Requests = counts?.Requests ?? 0,
        Retries = counts?.Retries ?? 0,
        FailedRequests = counts?.FailedRequests ?? 0,
        Pages = counts?.Pages ?? 0,
        ParentRequests = requests?.ParentRequests ?? 0,
        FailedParentRequests = requests?.FailedParentRequests ?? 0,
        ParentRecordsWithoutKey = requests?.ParentRecordsWithoutKey ?? 0,
    };
}
