// A fresh temporary folder per test: writes inputs, hands out absolute paths, removes itself afterwards.
using System.Text;
using System.Text.Json;

namespace Etl.Core.Tests.TestSupport;

public sealed class TestFolder : IDisposable
{
    public TestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "etl-core-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The absolute path of <paramref name="relative"/> inside the folder.</summary>
    public string PathOf(string relative) => Path.GetFullPath(Path.Combine(Root, relative));

    /// <summary>The absolute path of <paramref name="relative"/> as a JSON string literal, for building specs.</summary>
    public string Json(string relative) => JsonSerializer.Serialize(PathOf(relative));

    /// <summary>Writes <paramref name="content"/> byte for byte (UTF-8, no BOM, line endings as given).</summary>
    public string Write(string relative, string content) => WriteBytes(relative, new UTF8Encoding(false).GetBytes(content));

    public string WriteBytes(string relative, byte[] content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a cancelled or failing run must not hide that test's own result.
        }
    }
}
