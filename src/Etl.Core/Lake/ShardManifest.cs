// What one shard of a sharded run did, written when its work is over and read by `etl commit`: files, counts, schema, cursor.
using System.Text.Json;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>A file a shard wrote: <c>Path</c> is where it waits, relative to the sink folder (under <c>_tmp/</c> on the
/// local disk, its final key on object stores); <c>RelativePath</c> is where the commit puts it.</summary>
public sealed record ShardFile(string Path, string RelativePath, string? Partition, long Rows, long Bytes, IReadOnlyList<ManifestColumn>? Schema = null);

/// <summary>The files one shard wrote for one sink (sinks in spec order), and the sink's version when the shard started:
/// the commit starts from the lowest, so a commit that already landed is recognised when it is repeated.</summary>
public sealed record ShardSinkFiles(string Sink, long BaseVersion, IReadOnlyList<ShardFile> Files);

/// <summary>Counts of one shard beyond <see cref="ManifestCounts"/>, summed by the commit.</summary>
public sealed record ShardRequestCounts(long ParentRequests, long FailedParentRequests, long ParentRecordsWithoutKey);

public sealed record ShardManifest
{
    public const string Complete = "complete";
    public const string Failed = "failed";

    public required string RunId { get; init; }
    public required int Shard { get; init; }
    public required int Shards { get; init; }

    /// <summary>Which attempt of this shard index wrote the files (a re-run index gets a new attempt).</summary>
    public required string Attempt { get; init; }

    /// <summary><see cref="Complete"/>: the shard's work is done and its files are written; <see cref="Failed"/>: not.</summary>
    public required string Status { get; init; }
    public string? Error { get; init; }
    public required string Spec { get; init; }
    /// <summary>SHA-256 of the spec and its non-secret parameters: every shard of a run must have run the same.</summary>
    public required string SpecFingerprint { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
    public required string EtlVersion { get; init; }
    public required ManifestCounts Counts { get; init; }
    public ShardRequestCounts? RequestCounts { get; init; }
    public required IReadOnlyList<ManifestStage> Stages { get; init; }
    public required IReadOnlyList<ManifestColumn> Schema { get; init; }
    public IReadOnlyList<string>? SchemaChanges { get; init; }

    /// <summary>The highest incremental cursor value the shard wrote, as text; null without one.</summary>
    public string? Cursor { get; init; }
    public string? DeadLetterFile { get; init; }
    public required IReadOnlyList<ShardSinkFiles> Sinks { get; init; }

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RunManifest.JsonOptions);

    /// <summary>The manifest at <paramref name="path"/>; null when there is none. One that cannot be read is an error
    /// naming it: guessing what a shard did could commit a partial run.</summary>
    public static async Task<ShardManifest?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        var bytes = await StorageRegistry.For(path).ReadAllBytesAsync(path, cancellationToken);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ShardManifest>(bytes, RunManifest.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid shard manifest ({e.Message}); re-run that shard", e);
        }
    }
}
