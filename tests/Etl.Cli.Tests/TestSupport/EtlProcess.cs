// Starts the real built etl executable (src/Etl.Cli's own output, with its own dependencies) as a process in a given folder.
using System.Diagnostics;
using Etl.Cli.Tests.Commands;

namespace Etl.Cli.Tests.TestSupport;

public static class EtlProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // Not the copy next to the tests: that folder holds the test project's dependency versions, not etl's.
    public static string Executable { get; } = Path.Combine(Path.GetDirectoryName(CliRun.EtlDll)!, OperatingSystem.IsWindows() ? "etl.exe" : "etl");

    /// <summary>Runs etl with <paramref name="args"/> in <paramref name="workingDirectory"/>; checks the summary lines like the in-process runs.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"etl {string.Join(' ', args)} did not finish within {Timeout}");
        }
        var output = await stdout;
        var result = new CliResult(process.ExitCode, output, await stderr, EtlCli.ParseSummaries(output));
        EtlCli.AssertBalanced(result);
        return result;
    }
}
