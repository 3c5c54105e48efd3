// Reads the manifests of every shard of a run and says, shard by shard, what keeps the run from being committed.
using Etl.Lake;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Runtime;

internal static class ShardManifests
{
    /// <summary>The manifests of shards 0..<paramref name="shards"/>-1 and every problem found: a missing manifest, a
    /// failed shard, a shard run with another spec, parameters or shard count, a file of a pending sink that is gone.</summary>
    public static async Task<(IReadOnlyList<ShardManifest> Manifests, IReadOnlyList<string> Problems)> ReadAsync(LoadedSpec loaded,
        IReadOnlyList<string> folders, IReadOnlyList<int> pendingSinks, int shards, string runId, CancellationToken cancellationToken)
    {
        var manifests = new List<ShardManifest>();
        var problems = new List<string>();
        var fingerprint = ShardCommit.Fingerprint(loaded);
        for (var i = 0; i < shards; i++)
        {
            var path = ShardLayout.ManifestPath(folders[0], runId, i);
            var again = $"run it again (--shard {i} or JOB_COMPLETION_INDEX={i}, --shards {shards}, --run-id {runId})";
            var manifest = await ShardManifest.TryReadAsync(path, cancellationToken);
            var problem = manifest switch
            {
                null => $"shard {i} of {shards} has no manifest ({path}): it has not run, is still running, or was killed; {again}",
                { Status: not ShardManifest.Complete } m => $"shard {i} of {shards} failed: {m.Error ?? "no reason recorded"}; {again}",
                { Shards: var n } when n != shards => $"shard {i} was run with --shards {n}, not {shards}; {again}",
                { SpecFingerprint: var f } when f != fingerprint => $"shard {i} of {shards} ran another version of the spec or other --param values; {again}",
                { Sinks.Count: var n } when n != folders.Count => $"shard {i} of {shards} wrote {n} sink(s), the spec has {folders.Count}; {again}",
                _ => await MissingFileAsync(manifest, folders, pendingSinks, cancellationToken) is { } gone
                    ? $"shard {i} of {shards}: its file {gone} is gone; {again}"
                    : null,
            };
            if (problem is not null)
            {
                problems.Add(problem);
            }
            else
            {
                manifests.Add(manifest!);
            }
        }
        return (manifests, problems);
    }

    /// <summary>The first file of the manifest (in a sink still to commit) that is missing or not its recorded size.</summary>
    private static async Task<string?> MissingFileAsync(ShardManifest manifest, IReadOnlyList<string> folders, IReadOnlyList<int> pendingSinks,
        CancellationToken cancellationToken)
    {
        foreach (var s in pendingSinks)
        {
            var storage = StorageRegistry.For(folders[s]);
            foreach (var file in manifest.Sinks[s].Files)
            {
                var path = storage.Combine(folders[s], file.Path);
                if (await storage.StatAsync(path, cancellationToken) is not { } entry || entry.Length != file.Bytes)
                {
                    return path;
                }
            }
        }
        return null;
    }
}
