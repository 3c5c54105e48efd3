// The one place a sharded run meets the lake's commit protocol: publishes the files of all shards as one commit of a sink.
using Etl.Spec;
using Etl.Storage;

namespace Etl.Lake;

public static class ShardLake
{
    /// <summary>
    /// Commits <paramref name="files"/> (waiting below <c>_shards/</c>) to <paramref name="sink"/> as one commit of run
    /// <paramref name="runId"/>, with the manifest, the incremental state and the run's committed marker in the same
    /// journal. Under the sink's lock the files are first moved into the run's staging folder, where the journal can name
    /// them; a crash before the journal is written loses that staging folder, and the next `etl commit` then finds the
    /// shards' files gone and names the shards to run again: nothing half committed either way.
    /// </summary>
    public static async Task CommitAsync(SinkSpec sink, string runId, IReadOnlyList<ShardFile> files,
        Func<IReadOnlyList<ManifestFile>, RunManifest> manifestFor, Func<string, Task<long>> countRows,
        IReadOnlyList<JournalWrite> extraWrites, Checkpoint? checkpoint, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        using var committer = new LakeCommitter(sink, runId, checkpoint);
        await committer.PrepareAsync(startedAt, cancellationToken);
        var storage = StorageRegistry.For(committer.SinkFolder);
        var staged = new List<StagedFile>(files.Count);
        foreach (var file in files)
        {
            var from = storage.Combine(committer.SinkFolder, file.Path);
            var to = storage.Combine(committer.StagingFolder, file.RelativePath + ".inprogress");
            await storage.MoveAsync(from, to, cancellationToken);
            staged.Add(new StagedFile(to, file.RelativePath, file.Partition, file.Rows, file.Bytes, file.Schema));
        }
        await committer.CommitAsync(staged, manifestFor, countRows, extraWrites, cancellationToken);
    }
}
