// Where the tests find the repository's own files: its root and the example pipelines.
namespace Etl.Cli.Tests.TestSupport;

public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>An example spec (or the schema) shipped in pipelines/.</summary>
    public static string Pipeline(string name) => Path.Combine(Root, "pipelines", name);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Etl.sln not found above the test folder");
    }
}
