// Lists the committed data files of a lake folder: its commit log's latest version, else every visible file.
using System.Text.Json;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>A file to read and the Hive partition values its folder carries below the lake folder.</summary>
public sealed record LakeFile(string Path, long Length, IReadOnlyList<KeyValuePair<string, string?>> Partitions);

public static class LakeFiles
{
    /// <summary>The files to read at <paramref name="path"/>: a lake folder's committed files (its commit log's latest
    /// version, or the manifest an earlier Etl wrote), else the files of a file, folder or glob. Files below a folder
    /// carry their Hive partition values (country=FR/… → country).</summary>
    public static async Task<IReadOnlyList<LakeFile>> ResolveAsync(string path, IReadOnlyList<string> extensions, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(path);
        if (!await storage.FolderExistsAsync(path, cancellationToken))
        {
            return [.. (await FileGlob.ExpandOrThrowAsync(path, extensions, cancellationToken)).Select(f => new LakeFile(f.Path, f.Length, []))];
        }
        var entries = await CommittedFilesAsync(storage, path, extensions, cancellationToken)
            ?? await FileGlob.ExpandOrThrowAsync(path, extensions, cancellationToken);
        return [.. entries.Select(f => new LakeFile(f.Path, f.Length, Partitions(storage, path, f.Path)))];
    }

    /// <summary>The files of the folder's latest committed version, or null when it has neither log nor manifest. A log
    /// or manifest that cannot be read is an error: reading every visible file instead could mix committed and
    /// uncommitted data.</summary>
    private static async Task<IReadOnlyList<StorageEntry>?> CommittedFilesAsync(IStorage storage, string folder, IReadOnlyList<string> extensions, CancellationToken cancellationToken)
    {
        var manifestPath = storage.Combine(folder, LakeCommitter.ManifestName);
        var snapshot = await CommitLog.SnapshotAsync(storage, folder, cancellationToken);
        if (snapshot.Version == 0 && snapshot.Manifest is null)
        {
            if (await storage.ReadAllBytesAsync(manifestPath, cancellationToken) is { } bytes && !IsManifestWithoutFiles(bytes))
            {
                throw new InvalidDataException($"{manifestPath}: not a valid manifest; it lists the folder's committed files");
            }
            return null;
        }
        return [.. snapshot.Files
            .Select(f => new StorageEntry(storage.Combine(folder, f.Path), f.Bytes))
            .Where(f => extensions.Count == 0 || extensions.Any(e => f.Path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    /// <summary>Whether a manifest that did not parse as one is JSON without a files list (then the folder is globbed).</summary>
    private static bool IsManifestWithoutFiles(byte[] bytes)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return !doc.RootElement.TryGetProperty("files", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static List<KeyValuePair<string, string?>> Partitions(IStorage storage, string folder, string file)
    {
        var relative = storage.RelativePath(folder, file);
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? [] : PartitionPath.Parse(relative[..slash]);
    }
}
