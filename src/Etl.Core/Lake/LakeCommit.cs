// What one commit publishes into a sink folder: the files of a run (written by one process or by N shards), what they
// replace, the run's metadata and cursor. LakeCommitter.CommitAsync takes it; the commit log stores it.
using Etl.Spec;

namespace Etl.Lake;

public sealed record LakeCommit
{
    /// <summary>The run that commits; a second commit of the same run id is a no-op (a repeated <c>etl commit</c>).</summary>
    public required string RunId { get; init; }

    /// <summary><c>append</c> adds the files; <c>overwrite</c> also removes what <see cref="ReplacedPartitions"/> names;
    /// <c>errorIfExists</c> fails when the folder holds committed data.</summary>
    public required SinkMode Mode { get; init; }

    /// <summary>Every file of the run, from every process: where it is now (<see cref="StagedFile.StagingPath"/>: under
    /// <c>_tmp/&lt;runId&gt;/</c> on the local disk, already its final key on object stores), its path relative to the sink
    /// folder, partition, rows, bytes and columns.</summary>
    public required IReadOnlyList<StagedFile> Files { get; init; }

    /// <summary>For <c>overwrite</c>: the partition folders replaced ("country=FR/date=2026-11-28"); null replaces the
    /// whole folder. <see cref="ReplacedBy"/> gives what a run of a spec replaces.</summary>
    public IReadOnlyList<string>? ReplacedPartitions { get; init; }

    /// <summary>The run's counts (summed over all its processes), stages, schema, spec and times; its <c>Files</c> are
    /// ignored (the committer writes the folder's files into <c>_manifest.json</c>).</summary>
    public required RunManifest Manifest { get; init; }

    /// <summary>The highest incremental cursor the whole run wrote (first sink only); it advances with this commit.</summary>
    public IncrementalState? State { get; init; }

    /// <summary>The last committed version the run started from (the lowest over its processes); a concurrent commit
    /// after it can conflict. Null: the version <see cref="LakeCommitter.PrepareAsync"/> saw.</summary>
    public long? BaseVersion { get; init; }

    /// <summary>What an overwrite of <paramref name="sink"/> writing <paramref name="files"/> replaces: the partitions it
    /// wrote when the sink is partitioned (none when it wrote nothing), else the whole folder (null).</summary>
    public static IReadOnlyList<string>? ReplacedBy(SinkSpec sink, IEnumerable<StagedFile> files) =>
        sink.PartitionBy is { Count: > 0 } ? [.. files.Select(f => f.Partition ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : null;
}

/// <summary>What a commit did: the version it created, or the version that already held this run's commit.</summary>
public sealed record CommitOutcome(long Version, bool AlreadyCommitted);
