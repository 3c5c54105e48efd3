// Reads the manifests of every shard of a run from every sink and says, shard by shard, what keeps the run from committing.
using Etl.Lake;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Runtime;

/// <summary>What the sinks hold of a run: the sinks still to commit, the shards' manifests (from the first of them), every
/// problem found, and the log entry of a sink the run is committed to already.</summary>
internal sealed record ShardRead(IReadOnlyList<int> Pending, IReadOnlyList<ShardManifest> Manifests, IReadOnlyList<string> Problems, LogEntry? Committed);

internal static class ShardManifests
{
    public static async Task<ShardRead> ReadAsync(LoadedSpec loaded, IReadOnlyList<string> folders, int shards, string runId, CancellationToken cancellationToken)
    {
        var pending = new List<int>();
        var problems = new List<string>();
        IReadOnlyList<ShardManifest>? manifests = null;
        LogEntry? committed = null;
        for (var s = 0; s < folders.Count; s++)
        {
            var found = await ReadSinkAsync(folders[s], shards, runId, cancellationToken);
            // No manifest left: the commit removed them, or no shard ever ran. The log tells which.
            if (found.All(m => m is null) && await ShardCommit.CommittedVersionAsync(folders[s], runId, cancellationToken) is { } version)
            {
                var storage = StorageRegistry.For(folders[s]);
                committed ??= await CommitLog.ReadAsync(storage, folders[s], version, cancellationToken);
                continue;
            }
            pending.Add(s);
            var (complete, sinkProblems) = await CheckAsync(loaded, folders, s, found, shards, runId, cancellationToken);
            problems.AddRange(sinkProblems.Select(p => folders.Count > 1 ? $"sink '{loaded.Spec.Sinks[s].Path}': {p}" : p));
            if (manifests is null)
            {
                manifests = complete;
            }
            else if (complete.Select(m => m.Attempt).SequenceEqual(manifests.Select(m => m.Attempt)) is false && sinkProblems.Count == 0)
            {
                problems.Add($"sink '{loaded.Spec.Sinks[s].Path}' holds other attempts of the shards than sink '{loaded.Spec.Sinks[pending[0]].Path}'; run the shards again");
            }
        }
        return new ShardRead(pending, manifests ?? [], problems, committed);
    }

    private static async Task<ShardManifest?[]> ReadSinkAsync(string folder, int shards, string runId, CancellationToken cancellationToken)
    {
        var found = new ShardManifest?[shards];
        for (var i = 0; i < shards; i++)
        {
            found[i] = await ShardManifest.TryReadAsync(ShardLayout.ManifestPath(folder, runId, i), cancellationToken);
        }
        return found;
    }

    /// <summary>The complete manifests of one sink and every problem: a missing manifest, a failed shard, a shard run with
    /// another spec, parameters or shard count, a file that is gone.</summary>
    private static async Task<(IReadOnlyList<ShardManifest> Complete, IReadOnlyList<string> Problems)> CheckAsync(LoadedSpec loaded,
        IReadOnlyList<string> folders, int s, ShardManifest?[] found, int shards, string runId, CancellationToken cancellationToken)
    {
        var complete = new List<ShardManifest>();
        var problems = new List<string>();
        var fingerprint = ShardCommit.Fingerprint(loaded);
        for (var i = 0; i < shards; i++)
        {
            var again = $"run it again (--shard {i} or JOB_COMPLETION_INDEX={i}, --shards {shards}, --run-id {runId})";
            var problem = found[i] switch
            {
                null => $"shard {i} of {shards} has no manifest ({ShardLayout.ManifestPath(folders[s], runId, i)}): it has not run, is still running, or was killed; {again}",
                { Status: not ShardManifest.Complete } m => $"shard {i} of {shards} failed: {m.Error ?? "no reason recorded"}; {again}",
                { Shards: var n } when n != shards => $"shard {i} was run with --shards {n}, not {shards}; {again}",
                { SpecFingerprint: var f } when f != fingerprint => $"shard {i} of {shards} ran another version of the spec or other --param values; {again}",
                { Sinks.Count: var n } when n != folders.Count => $"shard {i} of {shards} wrote {n} sink(s), the spec has {folders.Count}; {again}",
                { } m => await MissingFileAsync(m, folders[s], s, cancellationToken) is { } gone ? $"shard {i} of {shards}: its file {gone} is gone; {again}" : null,
            };
            if (problem is null)
            {
                complete.Add(found[i]!);
            }
            else
            {
                problems.Add(problem);
            }
        }
        return (complete, problems);
    }

    /// <summary>The first file of the manifest that is missing or not its recorded size, where it waits or (moved there
    /// by a commit killed before its log entry) at its final place.</summary>
    private static async Task<string?> MissingFileAsync(ShardManifest manifest, string folder, int s, CancellationToken cancellationToken)
    {
        var storage = StorageRegistry.For(folder);
        foreach (var file in manifest.Sinks[s].Files)
        {
            var path = storage.Combine(folder, file.Path);
            if (await storage.StatAsync(path, cancellationToken) is not { } entry || entry.Length != file.Bytes)
            {
                if (await storage.StatAsync(storage.Combine(folder, file.RelativePath), cancellationToken) is { } moved && moved.Length == file.Bytes)
                {
                    continue;
                }
                return path;
            }
        }
        return null;
    }
}
