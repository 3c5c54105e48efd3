// A fresh temporary folder per test: writes inputs and specs, hands out absolute paths, removes itself afterwards.
using System.Text;
using System.Text.Json;

namespace Etl.Cli.Tests.TestSupport;

public sealed class TestFolder : IDisposable
{
    public TestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "etl-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The absolute path of <paramref name="relative"/> inside the folder.</summary>
    public string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <summary>The absolute path of <paramref name="relative"/> as a JSON string literal, for building specs.</summary>
    public string Json(string relative) => JsonSerializer.Serialize(PathOf(relative));

    /// <summary>Writes <paramref name="content"/> byte for byte (UTF-8, no BOM, line endings as given).</summary>
    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    /// <summary>Copies the repository's file or folder <paramref name="relative"/> to the same place in this folder.</summary>
    public void CopyFromRepo(string relative)
    {
        var from = Path.Combine(Repo.Root, relative);
        if (File.Exists(from))
        {
            CopyTo(relative, from);
            return;
        }
        foreach (var source in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            CopyTo(Path.Combine(relative, Path.GetRelativePath(from, source)), source);
        }
    }

    private void CopyTo(string relative, string source)
    {
        var target = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }

    /// <summary>Data files a reader would see below <paramref name="relative"/>: not under names starting with '_' or '.'.</summary>
    public IReadOnlyList<string> VisibleFiles(string relative)
    {
        var folder = PathOf(relative);
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(s => s.StartsWith('_') || s.StartsWith('.')))
            .Order(StringComparer.Ordinal)];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file still open by a failing test must not hide that test's own failure.
        }
    }
}
