// The _committed.json a sharded run leaves in each sink's _shards/<runId>/: written by the commit itself, so a repeated
// `etl commit` knows the run is in and does nothing.
using System.Text.Json;
using Etl.Storage;

namespace Etl.Lake;

public sealed record ShardCommitMarker(string RunId, int Shards, DateTimeOffset CommittedAt, ManifestCounts Counts, int Files)
{
    public JournalWrite ToJournalWrite() =>
        new(ShardLayout.CommittedRelative(RunId), JsonSerializer.Serialize(this, RunManifest.JsonOptions));

    public static async Task<ShardCommitMarker?> TryReadAsync(string sinkFolder, string runId, CancellationToken cancellationToken)
    {
        var path = ShardLayout.CommittedPath(sinkFolder, runId);
        var bytes = await StorageRegistry.For(path).ReadAllBytesAsync(path, cancellationToken);
        try
        {
            return bytes is null ? null : JsonSerializer.Deserialize<ShardCommitMarker>(bytes, RunManifest.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid commit marker ({e.Message})", e);
        }
    }
}
