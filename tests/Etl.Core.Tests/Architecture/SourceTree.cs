// The repository's C# sources as syntax trees, for tests of rules that hold across the code base.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Etl.Core.Tests.Architecture;

internal static class SourceTree
{
    /// <summary>The repository root: the folder holding Etl.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every .cs file below <paramref name="folder"/> (relative to the root), parsed, without build output.</summary>
    public static IEnumerable<(string Path, SyntaxTree Tree)> Parse(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(Root, f).Replace('\\', '/'), CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f)));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Etl.sln above {AppContext.BaseDirectory}");
    }
}
