// Expands a file, folder or glob ("data/in/orders*.csv", "s3://lake/orders/**/*.parquet") into sorted files of a storage.
using System.Text;
using System.Text.RegularExpressions;

namespace Etl.Storage;

public static class FileGlob
{
    /// <summary>Files matching <paramref name="pattern"/>, sorted by path. A folder means every file below it with one of
    /// <paramref name="extensions"/>; files and folders whose names start with '_' or '.' are skipped there, as lake
    /// readers skip them.</summary>
    public static async Task<IReadOnlyList<StorageEntry>> ExpandAsync(string pattern, IReadOnlyList<string> extensions, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(pattern);
        if (await storage.StatAsync(pattern, cancellationToken) is { } single)
        {
            return [single];
        }
        if (await storage.FolderExistsAsync(pattern, cancellationToken))
        {
            return await ListAsync(storage, pattern, recursive: true, relative =>
                extensions.Count == 0 || extensions.Any(e => relative.EndsWith(e, StringComparison.OrdinalIgnoreCase)), cancellationToken);
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
        var regex = new Regex("^" + ToRegex(rest) + "$", RegexOptions.CultureInvariant);
        return await ListAsync(storage, baseDir, rest.Contains('/', StringComparison.Ordinal), regex.IsMatch, cancellationToken);
    }

    /// <summary>Like <see cref="ExpandAsync"/>, but no match is an error naming the pattern.</summary>
    public static async Task<IReadOnlyList<StorageEntry>> ExpandOrThrowAsync(string pattern, IReadOnlyList<string> extensions, CancellationToken cancellationToken = default)
    {
        var files = await ExpandAsync(pattern, extensions, cancellationToken);
        return files.Count > 0 ? files : throw new FileNotFoundException($"no input file matches '{pattern}'");
    }

    /// <summary>"data/in/orders*.csv (3 files, 12.5 MB)" for `etl plan`.</summary>
    public static async Task<string> DescribeAsync(string pattern, IReadOnlyList<string> extensions, CancellationToken cancellationToken = default)
    {
        var files = await ExpandAsync(pattern, extensions, cancellationToken);
        var bytes = files.Sum(f => f.Length);
        return files.Count == 0
            ? $"{pattern} (no file matches yet)"
            : $"{pattern} ({files.Count} file{(files.Count == 1 ? "" : "s")}, {(bytes < 1_000_000 ? $"{bytes / 1e3:F1} kB" : $"{bytes / 1e6:F1} MB")})";
    }

    private static async Task<IReadOnlyList<StorageEntry>> ListAsync(IStorage storage, string folder, bool recursive, Func<string, bool> matches, CancellationToken cancellationToken)
    {
        var files = new List<StorageEntry>();
        if (!await storage.FolderExistsAsync(folder, cancellationToken))
        {
            return files;
        }
        await foreach (var entry in storage.ListAsync(folder, recursive, cancellationToken))
        {
            var relative = storage.RelativePath(folder, entry.Path);
            if (matches(relative) && !IsHidden(relative))
            {
                files.Add(entry);
            }
        }
        return [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    private static bool IsHidden(string relative) => relative.Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.'));

    private static string ToRegex(string glob)
    {
        var sb = new StringBuilder();
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
}
