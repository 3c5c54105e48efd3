// The one way tests launch etl: its entry point in-process, or the executable src/Etl.Cli builds as a real process.
using System.Diagnostics;
using System.Globalization;
using Etl.Cli.Commands;

namespace Etl.Cli.Tests.TestSupport;

/// <summary>How to start etl as a process: in which folder, with which extra environment, for how long at most.</summary>
public sealed record ProcessOptions(string WorkingDirectory)
{
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = EtlCli.Timeout;

    /// <summary>The process's limit of open files (`ulimit -n`, set by a shell that then becomes etl); null: inherited.</summary>
    public int? OpenFileLimit { get; init; }
}

public static class EtlCli
{
    /// <summary>Long enough for the largest end-to-end run on a loaded machine, short enough that a hang fails the test.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The etl apphost as its own project builds it, in the tests' configuration. Not the copy next to the
    /// tests: that folder holds the test project's dependency versions, not etl's.</summary>
    public static string Executable { get; } = Path.Combine(Repo.Root, "src", "Etl.Cli", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug",
        "net10.0", OperatingSystem.IsWindows() ? "etl.exe" : "etl");

    /// <summary>Runs the real CLI entry point in-process; paths in <paramref name="args"/> resolve against the test's own working directory.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await Program.RunAsync(args, stdout, stderr, CancellationToken.None);
        return CliResult.Of(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs in-process and expects exit 0, showing the whole output when it is not.</summary>
    public static async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    /// <summary>Runs the etl executable in <paramref name="workingDirectory"/> and waits for it.</summary>
    public static Task<CliResult> RunProcessAsync(string workingDirectory, params string[] args) =>
        RunProcessAsync(new ProcessOptions(workingDirectory), args);

    public static async Task<CliResult> RunProcessAsync(ProcessOptions options, params string[] args)
    {
        using var process = Start(options, args);
        return await process.ResultAsync();
    }

    /// <summary>Starts the etl executable without waiting, for tests that signal or kill it.</summary>
    public static RunningEtl Start(ProcessOptions options, params string[] args) => Launch(options, args, pauseFile: null);

    /// <summary>Starts the etl executable in <paramref name="workingDirectory"/> and returns once the run waits at the
    /// test pause <paramref name="point"/> (see <see cref="TestCheckpoint"/>); <see cref="RunningEtl.Resume"/> lets it go on.</summary>
    public static async Task<RunningEtl> StartPausedAtAsync(string point, string workingDirectory, params string[] args)
    {
        var pauseFile = Path.Combine(workingDirectory, "pause");
        var options = new ProcessOptions(workingDirectory)
        {
            Environment = new Dictionary<string, string> { [TestCheckpoint.PointVariable] = point, [TestCheckpoint.FileVariable] = pauseFile },
        };
        var running = Launch(options, args, pauseFile);
        try
        {
            await running.WaitUntilPausedAtAsync(point);
        }
        catch
        {
            running.Dispose();
            throw;
        }
        return running;
    }

    private static RunningEtl Launch(ProcessOptions options, string[] args, string? pauseFile)
    {
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException($"the etl executable is not built: run dotnet build src/Etl.Cli ({Executable})");
        }
        var info = new ProcessStartInfo(options.OpenFileLimit is null ? Executable : "/bin/bash")
        {
            WorkingDirectory = options.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.OpenFileLimit is { } limit)
        {
            // exec: the shell becomes etl, so the process id (and its memory figures) are etl's.
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"ulimit -n {limit.ToString(CultureInfo.InvariantCulture)} && exec \"$0\" \"$@\"");
            info.ArgumentList.Add(Executable);
        }
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in options.Environment)
        {
            info.Environment[name] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Executable}");
        return new RunningEtl(process, $"etl {string.Join(' ', args)}", options.Timeout, pauseFile);
    }
}
