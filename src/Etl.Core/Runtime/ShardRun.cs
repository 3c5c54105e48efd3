// One shard of a sharded run: clears its index's earlier attempt, gives the writers its folders, writes its shard manifest.
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;
using Etl.Storage;
using Microsoft.Extensions.Logging;

namespace Etl.Runtime;

internal sealed class ShardRun(RunContext run, Shard shard, IReadOnlyList<LakeCommitter> committers, DateTimeOffset started)
{
    /// <summary>This attempt's id: a re-run of the same index writes into a new folder, so nothing of two attempts mixes.</summary>
    public string Attempt { get; } = PipelineRunner.NewRunId(started);

    private bool _prepared;

    private string FirstSink => committers[0].SinkFolder;

    public string ManifestPath => ShardLayout.ManifestPath(FirstSink, shard.RunId, shard.Index);

    /// <summary>Where each sink's writers put this attempt's files.</summary>
    public IReadOnlyList<string> Folders => [.. committers.Select(c => ShardLayout.AttemptFolder(c.SinkFolder, shard.RunId, shard.Index, Attempt))];

    /// <summary>The dead-letter file name of a shard: the run id and the shard, so shards never write the same file.</summary>
    public static string DeadLetterName(Shard shard) => $"{shard.RunId}-{ShardLayout.ShardName(shard.Index)}";

    /// <summary>Before any work: refuses a run that is committed already, then removes what an earlier attempt of this
    /// index left (manifest first, so no commit can take its files any more; then its files and dead letters). Attempts
    /// of one index must not run at the same time (a Kubernetes Indexed Job with podReplacementPolicy: Failed ensures it).</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var storage = StorageRegistry.For(FirstSink);
        if (await storage.StatAsync(ShardLayout.CommittedPath(FirstSink, shard.RunId), cancellationToken) is not null)
        {
            throw new InvalidOperationException($"run {shard.RunId} is committed already: its shards cannot run again; start a new run with another --run-id");
        }
        await DeleteIfPresentAsync(ManifestPath, cancellationToken);
        foreach (var committer in committers)
        {
            await StorageRegistry.For(committer.SinkFolder).DeleteFolderAsync(ShardLayout.ShardFolder(committer.SinkFolder, shard.RunId, shard.Index), cancellationToken);
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

    /// <summary>After the work: closes every writer and writes the manifest that says this shard is complete.</summary>
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
            var storage = StorageRegistry.For(committers[s].SinkFolder);
            files.Add(new ShardSinkFiles(sinkSpec.Path, [.. staged.Select(f => new ShardFile(storage.RelativePath(committers[s].SinkFolder, f.StagingPath),
                f.RelativePath, f.Partition, f.Rows, f.Bytes, f.Schema))]));
            results.Add(new SinkResult(Components.For(sinkSpec.GetType()).Type, sinkSpec.Path, staged.Sum(f => f.Rows), staged));
        }
        await WriteAsync(Manifest(ShardManifest.Complete, null, files, conformer, cursor), cancellationToken);
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
            run.Logger.LogWarning("{Shard}: could not record the failure in {Path}: {Error}", shard, ManifestPath, e.Message);
        }
    }

    private Task WriteAsync(ShardManifest manifest, CancellationToken cancellationToken) =>
        StorageRegistry.For(ManifestPath).WriteAllBytesAsync(ManifestPath, manifest.ToJson(), cancellationToken);

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
