// What a run did: outcome, counts, files, time; the source of the summary line, the summary JSON and the manifest.
using Etl.Lake;

namespace Etl.Runtime;

public enum RunStatus { Succeeded, Failed, TooManyFailures, Cancelled, Locked }

public sealed record SinkResult(string Type, string Path, long Rows, IReadOnlyList<StagedFile> Files);

public sealed record RunResult
{
    public required string RunId { get; init; }
    public required string SpecName { get; init; }
    public required string SpecPath { get; init; }
    public required RunStatus Status { get; init; }
    public string? Error { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
    public long Read { get; init; }
    public long Filtered { get; init; }
    public long Failed { get; init; }
    public long Added { get; init; }
    public long Written { get; init; }
    public long Requests { get; init; }
    public long Retries { get; init; }
    public long FailedRequests { get; init; }
    public long Pages { get; init; }
    public IReadOnlyList<SinkResult> Sinks { get; init; } = [];
    public IReadOnlyList<StageCounters> Stages { get; init; } = [];
    public string? DeadLetterFile { get; init; }

    public int Files => Sinks.Sum(s => s.Files.Count);

    public double Seconds => (EndedAt - StartedAt).TotalSeconds;

    public int ExitCode => Status switch
    {
        RunStatus.Succeeded => Runtime.ExitCode.Success,
        RunStatus.TooManyFailures => Runtime.ExitCode.TooManyFailures,
        RunStatus.Cancelled => Runtime.ExitCode.Cancelled,
        RunStatus.Locked => Runtime.ExitCode.SinkLocked,
        _ => Runtime.ExitCode.RunFailed,
    };

    public string SummaryLine =>
        $"{SpecName}: {Status.ToString().ToLowerInvariant()} — read {Read}, filtered {Filtered}, failed {Failed}"
        + (Added > 0 ? $", added by explode {Added}" : "")
        + $", written {Written}, files {Files}"
        + (Requests > 0 ? $", requests {Requests} (retried {Retries}, failed {FailedRequests}, pages {Pages})" : "")
        + $", {Seconds:F1}s";
}
