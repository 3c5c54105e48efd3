// A started etl process, for tests that pause, resume, interrupt or kill a run before taking its result.
using System.Diagnostics;
using System.Globalization;

namespace Etl.Cli.Tests.TestSupport;

public sealed class RunningEtl : IDisposable
{
    private readonly Process _process;
    private readonly string _description;
    private readonly TimeSpan _timeout;
    private readonly string? _pauseFile;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    internal RunningEtl(Process process, string description, TimeSpan timeout, string? pauseFile)
    {
        _process = process;
        _description = description;
        _timeout = timeout;
        _pauseFile = pauseFile;
        // Both pipes are drained from the start: a child blocked on a full pipe would never exit nor reach a pause point.
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    /// <summary>Waits for the exit (killing the process and throwing after the timeout) and returns what it printed.</summary>
    public async Task<CliResult> ResultAsync()
    {
        if (!await WaitForExitAsync(_timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{_description} did not finish within {_timeout}");
        }
        return CliResult.Of(_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>Waits for the exit like <see cref="ResultAsync"/>, sampling the process's peak resident memory (VmHWM,
    /// which only rises) until then.</summary>
    public async Task<(CliResult Result, long PeakRssBytes)> ResultWithPeakMemoryAsync()
    {
        long peak = 0;
        var deadline = DateTime.UtcNow + _timeout;
        while (!await WaitForExitAsync(TimeSpan.FromMilliseconds(20)) && DateTime.UtcNow < deadline)
        {
            peak = Math.Max(peak, HighWaterMark());
        }
        return (await ResultAsync(), peak);
    }

    private long HighWaterMark()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0; // exited between two samples
        }
    }

    /// <summary>Whether the process exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var expired = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(expired.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>kill -9: the run gets no chance to clean up, as in a crash.</summary>
    public void Kill9()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Sends SIGTERM, as Kubernetes and schedulers stop a job: etl treats it as Ctrl+C. (SIGINT itself cannot
    /// be used here: a test run started from a non-interactive shell's background inherits SIGINT as ignored.)</summary>
    public void Interrupt()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Lets a run started paused go on from its pause point.</summary>
    public void Resume() => File.WriteAllText(_pauseFile ?? throw new InvalidOperationException($"{_description} was not started paused"), "go");

    internal async Task WaitUntilPausedAtAsync(string point)
    {
        var reached = _pauseFile + ".reached";
        var deadline = DateTime.UtcNow + _timeout;
        while (!File.Exists(reached))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{_description} exited ({_process.ExitCode}) before reaching {point}: {await _stderr}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{_description} did not reach {point} within {_timeout}");
            }
            await Task.Delay(20);
        }
        // Gone before the next pause of the same folder, which waits for the file to appear again.
        File.Delete(reached);
    }

    public void Dispose()
    {
        // A test that fails half way must not leave an etl process behind, holding its folder and its sink lock.
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
