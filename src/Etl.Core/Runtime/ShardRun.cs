// One shard of a sharded run: clears its index's earlier attempt, writes its share like any run, then a shard manifest in
// every sink instead of a commit.
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;
using Etl.Storage;
using Microsoft.Extensions.Logging;

namespace Etl.Runtime;

internal sealed class ShardRun(RunContext run, Shard shard, IReadOnlyList<LakeCommitter> committers, DateTimeOffset started)
{
    private bool _prepared;

    /// <summary>This attempt's id, in its manifest: tells a re-run index's manifest from the one it replaced.</summary>
    public string Attempt { get; } = PipelineRunner.NewRunId(started);

    /// <summary>Whether the shard's manifests are written: its files then wait for `etl commit` and must stay.</summary>
    public bool Complete { get; private set; }

    /// <summary>A shard's committer: its own lease in the run folder, and a file prefix that is only its own, so its
    /// failure removes its files and no other shard's.</summary>
    public static LakeCommitter Committer(SinkSpec sink, Shard shard, Checkpoint checkpoint, TimeProvider time) => new(sink, shard.RunId, checkpoint)
    {
        Time = time,
        LeaseName = ShardLayout.ShardName(shard.Index),
        FilePrefix = ShardLayout.FilePrefix(shard.RunId, shard.Index),
    };

    /// <summary>The dead-letter file name of a shard: the run id and the shard, so shards never write the same file.</summary>
    public static string DeadLetterName(Shard shard) => $"{shard.RunId}-{ShardLayout.ShardName(shard.Index)}";

    /// <summary>After the leases, before any work: refuses a run that is committed already, then removes what an earlier
    /// attempt of this index left (its manifests first, so no commit can take its files any more; then its files and
    /// dead letters). Attempts of one index must not run at once: the lease named after the shard refuses a second one.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (await ShardCommit.CommittedVersionAsync(committers[0].SinkFolder, shard.RunId, cancellationToken) is { } version)
        {
            throw new InvalidOperationException($"run {shard.RunId} is committed already (version {version} of '{run.Spec.Spec.Sinks[0].Path}'): "
                + "its shards cannot run again; start a new run with another --run-id");
        }
        foreach (var committer in committers)
        {
            await DeleteIfPresentAsync(ShardLayout.ManifestPath(committer.SinkFolder, shard.RunId, shard.Index), cancellationToken);
            await OrphanCleaner.CleanOwnFilesAsync(StorageRegistry.For(committer.SinkFolder), committer.SinkFolder, committer.StagingFolder,
                ShardLayout.FilePrefix(shard.RunId, shard.Index), cancellationToken);
        }
        await DeleteIfPresentAsync(run.DeadLetters.FilePath, cancellationToken);
        _prepared = true;
        if (run.Logger.IsEnabled(LogLevel.Information))
        {
            run.Logger.LogInformation("{Spec}: {Shard} of run {RunId}, attempt {Attempt}", run.Spec.Spec.Name, shard, shard.RunId, Attempt);
        }
    }

    private static async Task DeleteIfPresentAsync(string path, CancellationToken cancellationToken)
    {
        var storage = StorageRegistry.For(path);
        if (await storage.StatAsync(path, cancellationToken) is not null)
        {
            await storage.DeleteAsync(path, cancellationToken);
        }
    }

    /// <summary>After the work: closes every writer and writes, into every sink, the manifest that says this shard is complete.</summary>
    public async Task<IReadOnlyList<SinkResult>> CompleteAsync(IReadOnlyList<IReadOnlyList<ISink>> sinks, Conformer conformer, CursorTracker? cursor,
        CancellationToken cancellationToken)
    {
        var results = new List<SinkResult>();
        var files = new List<ShardSinkFiles>();
        for (var s = 0; s < sinks.Count; s++)
        {
            var staged = new List<StagedFile>();
            foreach (var writer in sinks[s])
            {
                staged.AddRange(await writer.CloseAsync(cancellationToken));
            }
            var sinkSpec = run.Spec.Spec.Sinks[s];
            var (folder, storage) = (committers[s].SinkFolder, StorageRegistry.For(committers[s].SinkFolder));
            files.Add(new ShardSinkFiles(sinkSpec.Path, committers[s].BaseVersion, [.. staged.Select(f =>
                new ShardFile(storage.RelativePath(folder, f.StagingPath), f.RelativePath, f.Partition, f.Rows, f.Bytes, f.Schema))]));
            results.Add(new SinkResult(Components.For(sinkSpec.GetType()).Type, sinkSpec.Path, staged.Sum(f => f.Rows), staged));
        }
        await WriteAsync(Manifest(ShardManifest.Complete, null, files, conformer, cursor), cancellationToken);
        Complete = true;
        return results;
    }

    /// <summary>After a failure: a manifest that says so, so `etl commit` names the error; best effort (a killed shard
    /// writes none, and the commit says its manifest is missing).</summary>
    public async Task FailAsync(Exception error, Conformer conformer)
    {
        if (!_prepared)
        {
            return; // refused before it started: an earlier attempt's manifest, or a committed run, stays as it is
        }
        try
        {
            await WriteAsync(Manifest(ShardManifest.Failed, run.Secrets.Redact(error.Message), [], conformer, null), CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            run.Logger.LogWarning("{Shard}: could not record the failure in the run folder: {Error}", shard, e.Message);
        }
    }

    /// <summary>The same manifest into every sink's run folder: each keeps that sink's files from other runs' cleaning.</summary>
    private async Task WriteAsync(ShardManifest manifest, CancellationToken cancellationToken)
    {
        var json = manifest.ToJson();
        foreach (var committer in committers)
        {
            var path = ShardLayout.ManifestPath(committer.SinkFolder, shard.RunId, shard.Index);
            await StorageRegistry.For(path).WriteAllBytesAsync(path, json, cancellationToken);
        }
    }

    private ShardManifest Manifest(string status, string? error, IReadOnlyList<ShardSinkFiles> files, Conformer conformer, CursorTracker? cursor)
    {
        var c = run.Counters;
        return new ShardManifest
        {
            RunId = shard.RunId,
            Shard = shard.Index,
            Shards = shard.Count,
            Attempt = Attempt,
            Status = status,
            Error = error,
            Spec = run.Spec.Spec.Name,
            SpecFingerprint = ShardCommit.Fingerprint(run.Spec),
            StartedAt = started,
            EndedAt = run.Time.GetUtcNow(),
            EtlVersion = EtlVersion.Current,
            Counts = new ManifestCounts(c.Read, c.Filtered, c.Failed, c.Added, c.Written, c.Requests, c.Retries, c.FailedRequests, c.Pages),
            RequestCounts = new ShardRequestCounts(c.ParentRequests, c.FailedParentRequests, c.ParentRecordsWithoutKey),
            Stages = [.. c.Stages.Select(st => new ManifestStage(st.Name, st.Kind, st.In, st.Out))],
            Schema = [.. (conformer.Schema?.Columns ?? []).Select(col => new ManifestColumn(col.Name, col.Type.ToString()))],
            SchemaChanges = conformer.Changes.Count == 0 ? null : [.. conformer.Changes.Select(change => change.ToString())],
            Cursor = cursor?.Max?.Text,
            DeadLetterFile = run.DeadLetters.Count > 0 ? run.DeadLetters.FilePath : null,
            Sinks = files,
        };
    }
}
