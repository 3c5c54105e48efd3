// Lists the committed data files of a lake folder: those its _manifest.json names, else every visible file.
using System.Text.Json;
using Etl.Lake;

namespace Etl.Sources;

public static class LakeFiles
{
    public const string ManifestName = "_manifest.json";

    /// <summary>The files to read at <paramref name="path"/>: a lake folder's committed files (its manifest's, after rolling
    /// forward a commit that a killed run left decided but unfinished), else the files of a file, folder or glob.</summary>
    public static IReadOnlyList<string> Resolve(string path, params string[] extensions)
    {
        if (Directory.Exists(path))
        {
            LakeCommitter.TryRecoverForReading(Path.GetFullPath(path));
            var manifest = Path.Combine(path, ManifestName);
            if (File.Exists(manifest))
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(manifest));
                if (doc.RootElement.TryGetProperty("files", out var files))
                {
                    return [.. files.EnumerateArray()
                        .Select(f => Path.Combine(path, f.GetProperty("path").GetString()!))
                        .Where(f => extensions.Length == 0 || extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                        .Order(StringComparer.Ordinal)];
                }
            }
        }
        return FileGlob.ExpandOrThrow(path, extensions);
    }

    /// <summary>Hive partition values of <paramref name="file"/> below the lake folder <paramref name="basePath"/>
    /// ("country=FR/date=2026-11-28" → country, date); none when <paramref name="basePath"/> is a file or a glob.</summary>
    public static List<KeyValuePair<string, string?>> PartitionValues(string basePath, string file) =>
        Directory.Exists(basePath)
            ? PartitionPath.Parse(Path.GetRelativePath(basePath, Path.GetDirectoryName(Path.GetFullPath(file))!))
            : [];
}
