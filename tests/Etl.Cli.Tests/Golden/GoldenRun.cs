// Runs a golden case's steps in a fresh folder with the real etl executable and keeps what each run printed and made.
using DuckDB.NET.Data;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Golden;

/// <summary>What one <c>run</c> step printed.</summary>
public sealed record GoldenStepResult(GoldenStep Step, CliResult Result);

/// <summary>The outcome of a case: each run's output and the files the runs left (inputs and specs excluded).</summary>
public sealed record GoldenRunResult(string Root, string? Api, IReadOnlyList<GoldenStepResult> Runs, IReadOnlyList<string> Produced);

public static class GoldenRun
{
    public static async Task<GoldenRunResult> RunAsync(GoldenCase golden, TestFolder folder, string? api)
    {
        foreach (var (from, to) in golden.Setup)
        {
            CopyFromRepo(folder, from, to);
        }
        var runs = new List<GoldenStepResult>();
        var produced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in golden.Steps)
        {
            var args = step.Args.Select(a => Expand(a, folder.Root, api)).ToList();
            switch (step.Kind)
            {
                case "copy":
                    File.Copy(folder.PathOf(args[0]), CreateParent(folder.PathOf(args[1])), overwrite: true);
                    break;
                case "duckdb":
                    ExecuteDuckDb(args[0]);
                    break;
                default:
                    var before = Files(folder.Root);
                    // No progress lines: their number and figures depend on timing; the log lines remain.
                    var result = await EtlCli.RunProcessAsync(folder.Root, ["run", .. args, "--progress", "none"]);
                    runs.Add(new GoldenStepResult(step, result));
                    produced.UnionWith(Files(folder.Root).Except(before));
                    break;
            }
        }
        var left = Files(folder.Root).Where(produced.Contains).Order(StringComparer.Ordinal).ToList();
        return new GoldenRunResult(folder.Root, api, runs, left);
    }

    private static string Expand(string text, string root, string? api) =>
        text.Replace("${root}", root, StringComparison.Ordinal).Replace("${api}", api ?? "${api}", StringComparison.Ordinal);

    private static HashSet<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)];

    private static string CreateParent(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private static void CopyFromRepo(TestFolder folder, string from, string to)
    {
        var source = Path.Combine(Repo.Root, from);
        if (File.Exists(source))
        {
            File.Copy(source, CreateParent(folder.PathOf(to)));
            return;
        }
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, CreateParent(folder.PathOf(Path.Combine(to, Path.GetRelativePath(source, file)))));
        }
    }

    private static void ExecuteDuckDb(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
