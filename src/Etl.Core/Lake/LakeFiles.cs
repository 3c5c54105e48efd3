// Lists the committed data files of a lake folder: those its _manifest.json names, else every visible file.
using System.Text.Json;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>A file to read and the Hive partition values its folder carries below the lake folder.</summary>
public sealed record LakeFile(string Path, long Length, IReadOnlyList<KeyValuePair<string, string?>> Partitions);

public static class LakeFiles
{
    /// <summary>The files to read at <paramref name="path"/>: a lake folder's committed files (its manifest's, after rolling
    /// forward a commit that a killed run left decided but unfinished), else the files of a file, folder or glob. Files
    /// below a folder carry their Hive partition values (country=FR/… → country).</summary>
    public static async Task<IReadOnlyList<LakeFile>> ResolveAsync(string path, IReadOnlyList<string> extensions, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(path);
        if (!await storage.FolderExistsAsync(path, cancellationToken))
        {
            return [.. (await FileGlob.ExpandOrThrowAsync(path, extensions, cancellationToken)).Select(f => new LakeFile(f.Path, f.Length, []))];
        }
        await LakeCommitter.TryRecoverForReadingAsync(storage.FullPath(path), cancellationToken);
        var entries = await ManifestFilesAsync(storage, path, extensions, cancellationToken)
            ?? await FileGlob.ExpandOrThrowAsync(path, extensions, cancellationToken);
        return [.. entries.Select(f => new LakeFile(f.Path, f.Length, Partitions(storage, path, f.Path)))];
    }

    /// <summary>The files the folder's manifest lists, or null when it has none. A manifest that cannot be read is an
    /// error: reading every visible file instead could mix committed and uncommitted data.</summary>
    private static async Task<IReadOnlyList<StorageEntry>?> ManifestFilesAsync(IStorage storage, string folder, IReadOnlyList<string> extensions, CancellationToken cancellationToken)
    {
        var path = storage.Combine(folder, LakeCommitter.ManifestName);
        if (await storage.ReadAllBytesAsync(path, cancellationToken) is not { } bytes)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (!doc.RootElement.TryGetProperty("files", out var files))
            {
                return null;
            }
            return [.. files.EnumerateArray()
                .Select(f => new StorageEntry(storage.Combine(folder, f.GetProperty("path").GetString()!), f.TryGetProperty("bytes", out var n) ? n.GetInt64() : 0))
                .Where(f => extensions.Count == 0 || extensions.Any(e => f.Path.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .OrderBy(f => f.Path, StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a valid manifest ({e.Message}); it lists the folder's committed files", e);
        }
    }

    private static List<KeyValuePair<string, string?>> Partitions(IStorage storage, string folder, string file)
    {
        var relative = storage.RelativePath(folder, file);
        var slash = relative.LastIndexOf('/');
        return slash < 0 ? [] : PartitionPath.Parse(relative[..slash]);
    }
}
