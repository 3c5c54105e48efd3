// What a run did: outcome, counts, files, time; the source of the summary line, the summary JSON and the manifest.
using Etl.Lake;

namespace Etl.Runtime;

public enum RunStatus { Succeeded, Failed, TooManyFailures, Cancelled, Conflict, ShardsIncomplete }

public sealed record SinkResult(string Type, string Path, long Rows, IReadOnlyList<StagedFile> Files);

public sealed record RunResult
{
    public required string RunId { get; init; }
    public required string SpecName { get; init; }

    /// <summary>"shard 2 of 4" when this was one shard of a sharded run (nothing committed by it); null otherwise.</summary>
    public string? Shard { get; init; }
    public required string SpecPath { get; init; }
    public required RunStatus Status { get; init; }
    public string? Error { get; init; }

    /// <summary>A line for people beside the summary, such as "run … was committed already; nothing done".</summary>
    public string? Note { get; init; }
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

    /// <summary>Of <see cref="Requests"/>: those of HTTP parent requests feeding value sets; the rest are child requests.</summary>
    public long ParentRequests { get; init; }

    /// <summary>Of <see cref="FailedRequests"/>: failed parent requests, whose children were not requested.</summary>
    public long FailedParentRequests { get; init; }

    /// <summary>Parent records skipped for having no value at the value set's "field".</summary>
    public long ParentRecordsWithoutKey { get; init; }
    public IReadOnlyList<SinkResult> Sinks { get; init; } = [];
    public IReadOnlyList<StageCounters> Stages { get; init; } = [];
    public string? DeadLetterFile { get; init; }

    /// <summary>How the output schema evolved ("+coupon (string) at in.jsonl:20001"), in order.</summary>
    public IReadOnlyList<string> SchemaChanges { get; init; } = [];

    /// <summary>The line after the summary that says what evolved; null when nothing did.</summary>
    public string? SchemaChangesLine => SchemaChanges.Count == 0 ? null : $"{SpecName}: schema evolved: {string.Join("; ", SchemaChanges)}";

    public int Files => Sinks.Sum(s => s.Files.Count);

    public double Seconds => (EndedAt - StartedAt).TotalSeconds;

    public int ExitCode => Status switch
    {
        RunStatus.Succeeded => Runtime.ExitCode.Success,
        RunStatus.TooManyFailures => Runtime.ExitCode.TooManyFailures,
        RunStatus.Cancelled => Runtime.ExitCode.Cancelled,
        RunStatus.Conflict => Runtime.ExitCode.Conflict,
        RunStatus.ShardsIncomplete => Runtime.ExitCode.ShardsIncomplete,
        _ => Runtime.ExitCode.RunFailed,
    };

    public string SummaryLine =>
        $"{SpecName}: {Status.ToString().ToLowerInvariant()} — read {Read}, filtered {Filtered}, failed {Failed}"
        + (Added > 0 ? $", added by explode {Added}" : "")
        + $", written {Written}, files {Files}"
        + (Requests > 0 ? $", requests {Requests} (retried {Retries}, failed {FailedRequests}, pages {Pages})" : "")
        + (ParentRequests > 0
            ? $" of which parent {ParentRequests} (failed {FailedParentRequests}, records without key {ParentRecordsWithoutKey}) and child {Requests - ParentRequests}"
            : "")
        + $", {Seconds:F1}s"
        // A shard's files wait staged until etl commit: the line says so, after the counts scripts parse.
        + (Shard is null ? "" : $"; {Shard} of run {RunId}" + (Status == RunStatus.Succeeded ? ", not committed until etl commit" : ""));
}
