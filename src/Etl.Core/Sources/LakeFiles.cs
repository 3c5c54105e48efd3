// Lists the committed data files of a lake folder: those its _manifest.json names, else every visible file.
using System.Text.Json;

namespace Etl.Sources;

public static class LakeFiles
{
    public const string ManifestName = "_manifest.json";

    public static IReadOnlyList<string> Resolve(string path, params string[] extensions)
    {
        if (Directory.Exists(path))
        {
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
}
