// Runs the etl entry point in-process, or the built etl executable as a process, and captures what it prints.
using System.Diagnostics;

namespace Etl.Cli.Tests.Commands;

public sealed record CliOutput(int ExitCode, string Stdout, string Stderr);

public static class CliRun
{
    public static string RepoRoot { get; } = FindRoot();

    public static async Task<CliOutput> InProcessAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Program.RunAsync(args, stdout, stderr);
        return new CliOutput(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The etl assembly as its own project builds it (with its own dependencies), same configuration as the tests.</summary>
    public static string EtlDll { get; } = Path.Combine(RepoRoot, "src", "Etl.Cli", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug",
        "net10.0", "etl.dll");

    /// <summary>Starts the real etl as a process with the repo root as working directory.</summary>
    public static async Task<CliOutput> ProcessAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var etl = EtlDll;
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(etl);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliOutput(process.ExitCode, await stdout, await stderr);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Etl.sln not found above the test folder");
    }

    public static string Pipeline(string name) => Path.Combine(RepoRoot, "pipelines", name);
}
