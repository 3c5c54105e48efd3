// Expands a file, folder or glob ("data/in/orders*.csv", "data/lake/orders/**/*.parquet") into sorted file paths.
using System.Text.RegularExpressions;

namespace Etl.Sources;

public static class FileGlob
{
    /// <summary>Files matching <paramref name="pattern"/>. A folder means every file below it with one of
    /// <paramref name="extensions"/>; files and folders whose names start with '_' or '.' are skipped there,
    /// as lake readers skip them.</summary>
    public static IReadOnlyList<string> Expand(string pattern, params string[] extensions)
    {
        if (File.Exists(pattern))
        {
            return [pattern];
        }
        if (Directory.Exists(pattern))
        {
            return [.. Directory.EnumerateFiles(pattern, "*", SearchOption.AllDirectories)
                .Where(f => !IsHidden(Path.GetRelativePath(pattern, f)))
                .Where(f => extensions.Length == 0 || extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .Order(StringComparer.Ordinal)];
        }
        var normalized = pattern.Replace('\\', '/');
        var firstWild = normalized.IndexOfAny(['*', '?', '[']);
        if (firstWild < 0)
        {
            return [];
        }
        var baseEnd = normalized.LastIndexOf('/', firstWild);
        var baseDir = baseEnd < 0 ? "." : normalized[..Math.Max(baseEnd, 1)];
        var rest = baseEnd < 0 ? normalized : normalized[(baseEnd + 1)..];
        if (!Directory.Exists(baseDir))
        {
            return [];
        }
        var regex = new Regex("^" + ToRegex(rest) + "$", RegexOptions.CultureInvariant);
        var recursive = rest.Contains('/', StringComparison.Ordinal);
        return [.. Directory.EnumerateFiles(baseDir, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly)
            .Where(f => regex.IsMatch(Path.GetRelativePath(baseDir, f).Replace('\\', '/')))
            .Where(f => !IsHidden(Path.GetRelativePath(baseDir, f)))
            .Order(StringComparer.Ordinal)];
    }

    private static bool IsHidden(string relative) =>
        relative.Replace('\\', '/').Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.'));

    private static string ToRegex(string glob)
    {
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                // "**/" matches any number of folders, including none.
                var slash = i + 2 < glob.Length && glob[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (c == '*')
            {
                sb.Append("[^/]*");
            }
            else if (c == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(c.ToString()));
            }
        }
        return sb.ToString();
    }

    /// <summary>"3 files, 12.5 MB: data/in/orders*.csv" for `etl plan`.</summary>
    public static string Describe(string pattern, params string[] extensions)
    {
        var files = Expand(pattern, extensions);
        var bytes = files.Sum(f => new FileInfo(f).Length);
        return files.Count == 0
            ? $"{pattern} (no file matches yet)"
            : $"{pattern} ({files.Count} file{(files.Count == 1 ? "" : "s")}, {(bytes < 1_000_000 ? $"{bytes / 1e3:F1} kB" : $"{bytes / 1e6:F1} MB")})";
    }

    public static IReadOnlyList<string> ExpandOrThrow(string pattern, params string[] extensions)
    {
        var files = Expand(pattern, extensions);
        return files.Count > 0 ? files : throw new FileNotFoundException($"no input file matches '{pattern}'");
    }
}
