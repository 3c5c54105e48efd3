// The commit log of a sink folder: _log/<version>.json, each version created only if absent, so exactly one run wins it.
using System.Globalization;
using System.Text.Json;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>One committed version: the files it added and removed, the run that made it, and the cursor it advanced.</summary>
public sealed record LogEntry
{
    public required long Version { get; init; }
    public required string RunId { get; init; }
    public required DateTimeOffset CommittedAt { get; init; }
    public required string Mode { get; init; }
    public required long BaseVersion { get; init; }
    public required IReadOnlyList<ManifestFile> Add { get; init; }

    /// <summary>Paths (relative to the sink folder) that this version no longer holds.</summary>
    public required IReadOnlyList<string> Remove { get; init; }

    /// <summary>For an overwrite: the partitions replaced; null replaces the whole folder.</summary>
    public IReadOnlyList<string>? ReplacedPartitions { get; init; }
    public required RunManifest Manifest { get; init; }
    public IncrementalState? State { get; init; }

    public bool IsOverwrite => Mode == "overwrite";

    /// <summary>Whether this version added or removed anything in <paramref name="partitions"/> (null: anywhere).</summary>
    public bool Touches(IReadOnlyList<string>? partitions) =>
        partitions is null || (IsOverwrite && ReplacedPartitions is null)
        || Add.Any(f => partitions.Contains(f.Partition ?? "", StringComparer.Ordinal))
        || Remove.Any(p => partitions.Any(q => q.Length == 0 || p.StartsWith(q + "/", StringComparison.Ordinal)))
        || (IsOverwrite && ReplacedPartitions!.Any(p => partitions.Contains(p, StringComparer.Ordinal)));
}

/// <summary>A sink folder as of one version: its files, the manifest of the run that made the version, the cursor.</summary>
public sealed record LakeSnapshot(long Version, IReadOnlyList<ManifestFile> Files, RunManifest? Manifest, IncrementalState? State)
{
    public static LakeSnapshot Empty { get; } = new(0, [], null, null);

    public LakeSnapshot Apply(LogEntry entry)
    {
        var removed = entry.Remove.ToHashSet(StringComparer.Ordinal);
        var added = entry.Add.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        return new(entry.Version, [.. Files.Where(f => !removed.Contains(f.Path) && !added.Contains(f.Path)).Concat(entry.Add)],
            entry.Manifest, entry.State ?? State);
    }

    /// <summary>The <c>_manifest.json</c> of this version: the last run's manifest with the folder's files.</summary>
    public RunManifest? ToManifest() => Manifest is null ? null : Manifest with
    {
        Version = Version,
        State = State,
        Files = [.. Files.OrderBy(f => f.Path, StringComparer.Ordinal)],
    };
}

public static class CommitLog
{
    public const string FolderName = "_log";

    private const int Digits = 20;

    public static string PathOf(IStorage storage, string sinkFolder, long version) =>
        storage.Combine(storage.Combine(sinkFolder, FolderName), version.ToString(new string('0', Digits), CultureInfo.InvariantCulture) + ".json");

    /// <summary>The committed versions of the folder, ascending (none for a folder never committed with a log).</summary>
    public static async Task<IReadOnlyList<long>> VersionsAsync(IStorage storage, string sinkFolder, CancellationToken cancellationToken)
    {
        var versions = new List<long>();
        await foreach (var entry in storage.ListAsync(storage.Combine(sinkFolder, FolderName), recursive: false, cancellationToken))
        {
            var name = entry.Path[(entry.Path.Replace('\\', '/').LastIndexOf('/') + 1)..];
            if (name.Length == Digits + 5 && name.EndsWith(".json", StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(0, Digits), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }
        versions.Sort();
        return versions;
    }

    /// <summary>The latest committed version (0 for a folder never committed with a log).</summary>
    public static async Task<long> LatestVersionAsync(IStorage storage, string sinkFolder, CancellationToken cancellationToken) =>
        await VersionsAsync(storage, sinkFolder, cancellationToken) is [.., var latest] ? latest : 0;

    public static async Task<LogEntry> ReadAsync(IStorage storage, string sinkFolder, long version, CancellationToken cancellationToken)
    {
        var path = PathOf(storage, sinkFolder, version);
        var bytes = await storage.ReadAllBytesAsync(path, cancellationToken)
            ?? throw new InvalidDataException($"{path}: a committed version is missing from the commit log");
        try
        {
            return JsonSerializer.Deserialize<LogEntry>(bytes, RunManifest.JsonOptions) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid commit log entry ({e.Message})", e);
        }
    }

    /// <summary>Creates version <c>entry.Version</c> if no run has; false when another run got there first.</summary>
    public static Task<bool> TryAppendAsync(IStorage storage, string sinkFolder, LogEntry entry, CancellationToken cancellationToken) =>
        storage.TryCreateNewAsync(PathOf(storage, sinkFolder, entry.Version), JsonSerializer.SerializeToUtf8Bytes(entry, RunManifest.JsonOptions), cancellationToken);

    /// <summary>
    /// The folder at its latest version: from <c>_manifest.json</c> (a snapshot some committer derived) plus every later
    /// entry, or the whole log. A folder without a log is read from the manifest an earlier Etl wrote (version 0).
    /// </summary>
    public static async Task<LakeSnapshot> SnapshotAsync(IStorage storage, string sinkFolder, CancellationToken cancellationToken)
    {
        var versions = await VersionsAsync(storage, sinkFolder, cancellationToken);
        var manifest = await RunManifest.TryReadAsync(sinkFolder, cancellationToken);
        if (versions.Count == 0)
        {
            return manifest is null ? LakeSnapshot.Empty
                : new LakeSnapshot(0, manifest.Files, manifest, await IncrementalState.TryReadFileAsync(sinkFolder, cancellationToken));
        }
        var snapshot = manifest is { Version: { } v } && v <= versions[^1] && versions.Contains(v)
            ? new LakeSnapshot(v, manifest.Files, manifest with { Files = [] }, manifest.State)
            : LakeSnapshot.Empty;
        foreach (var version in versions.Where(v => v > snapshot.Version))
        {
            snapshot = snapshot.Apply(await ReadAsync(storage, sinkFolder, version, cancellationToken));
        }
        return snapshot;
    }

    /// <summary>The entries after <paramref name="afterVersion"/> up to the latest, ascending.</summary>
    public static async Task<IReadOnlyList<LogEntry>> EntriesAfterAsync(IStorage storage, string sinkFolder, long afterVersion, CancellationToken cancellationToken)
    {
        var entries = new List<LogEntry>();
        foreach (var version in (await VersionsAsync(storage, sinkFolder, cancellationToken)).Where(v => v > afterVersion))
        {
            entries.Add(await ReadAsync(storage, sinkFolder, version, cancellationToken));
        }
        return entries;
    }
}
