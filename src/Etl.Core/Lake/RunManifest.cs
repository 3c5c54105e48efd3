// The _manifest.json a committed sink folder carries: what run wrote which files, with counts and schema.
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>A data file; <c>Schema</c> lists the columns inside it (partition columns are in its path).</summary>
public sealed record ManifestFile(string Path, string? Partition, long Rows, long Bytes, IReadOnlyList<ManifestColumn>? Schema = null);

public sealed record ManifestColumn(string Name, string Type);

public sealed record ManifestCounts(long Read, long Filtered, long Failed, long Added, long Written, long Requests, long Retries, long FailedRequests, long Pages);

public sealed record ManifestStage(string Name, string Kind, long In, long Out);

public sealed record RunManifest
{
    public required string RunId { get; init; }
    public required string Spec { get; init; }
    public required string SpecSha256 { get; init; }
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset EndedAt { get; init; }
    public required string EtlVersion { get; init; }
    public required string Mode { get; init; }
    public required ManifestCounts Counts { get; init; }
    public required IReadOnlyList<ManifestStage> Stages { get; init; }
    public required IReadOnlyList<ManifestColumn> Schema { get; init; }
    /// <summary>How the schema evolved during the run ("+coupon (string) at in.jsonl:20001"); absent when it did not.</summary>
    public IReadOnlyList<string>? SchemaChanges { get; init; }
    public IReadOnlyList<string>? PartitionBy { get; init; }
    public required IReadOnlyList<ManifestFile> Files { get; init; }

    /// <summary>The commit log version these files are (absent in a manifest an Etl before the log wrote).</summary>
    public long? Version { get; init; }

    /// <summary>The incremental cursor as of <see cref="Version"/>, when the folder keeps one.</summary>
    public IncrementalState? State { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // Build-time metadata for the lake's records; reflection for anything else.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(LakeJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>The <see cref="Version"/> of the folder's manifest, read without making its list of files (thousands of
    /// entries in a partitioned folder); null when there is no manifest, it is not JSON, or it has no version.</summary>
    public static async Task<long?> TryReadVersionAsync(string folder, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(folder);
        var bytes = await storage.ReadAllBytesAsync(storage.Combine(folder, LakeCommitter.ManifestName), cancellationToken);
        return bytes is null ? null : TopLevelVersion(bytes);
    }

    /// <summary>The number at the top-level "version" of a JSON document, checking the whole document is well formed.</summary>
    private static long? TopLevelVersion(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        long? version = null;
        var isVersion = false;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    isVersion = reader.ValueTextEquals("version"u8);
                    continue;
                }
                if (isVersion)
                {
                    version = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var v) ? v : null;
                    isVersion = false;
                }
            }
            return version;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task<RunManifest?> TryReadAsync(string folder, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(folder);
        var bytes = await storage.ReadAllBytesAsync(storage.Combine(folder, LakeCommitter.ManifestName), cancellationToken);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(bytes, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
