// Runs one command as a child process and measures its wall time, CPU time (user + sys, children included) and peak RSS.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Etl.Benchmarks.Measure;

public sealed record Measurement(
    string Command,
    int ExitCode,
    TimeSpan Wall,
    TimeSpan Cpu,
    long PeakRssBytes,
    string Stdout,
    string Stderr)
{
    public double PeakRssMb => PeakRssBytes / (1024.0 * 1024.0);
}

public static partial class ProcessMeter
{
    private const int PollMilliseconds = 10;
    private const int RusageChildren = -1;

    /// <summary>
    /// Starts <paramref name="file"/> and waits for it. CPU is the difference of getrusage(RUSAGE_CHILDREN) around the run:
    /// the kernel adds a child's user + sys time (and that of every descendant it waited for) to its parent when the child is
    /// reaped, so it is exact and counts children of the child. Peak RSS is VmHWM from /proc/&lt;pid&gt;/status, polled every
    /// 10 ms, corrected by ru_maxrss of the reaped children when that rose during the run (then it is this child's).
    /// No other child of this process may exit during the run: callers start servers before and stop them after.
    /// </summary>
    public static async Task<Measurement> RunAsync(string file, IReadOnlyList<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null, Action<int>? onStarted = null, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        var command = file + " " + string.Join(' ', args.Select(Quote));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var before = ChildrenUsage();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var pid = process.Id;
        onStarted?.Invoke(pid);
        long hwm = 0;
        using (cancellationToken.Register(() => TryKill(process)))
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            while (!exited.IsCompleted)
            {
                hwm = Math.Max(hwm, ReadHighWaterMark(pid));
                await Task.WhenAny(exited, Task.Delay(PollMilliseconds, CancellationToken.None));
            }
            await exited;
        }
        clock.Stop();
        var after = ChildrenUsage();
        var cpu = after.Cpu - before.Cpu;
        if (after.MaxRssBytes > before.MaxRssBytes)
        {
            hwm = Math.Max(hwm, after.MaxRssBytes);
        }
        lock (stdout)
        {
            lock (stderr)
            {
                return new Measurement(command, process.ExitCode, clock.Elapsed, cpu, hwm, stdout.ToString(), stderr.ToString());
            }
        }
    }

    private static void Append(StringBuilder sb, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (sb)
        {
            sb.AppendLine(line);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Quote(string a) => a.Length > 0 && a.AsSpan().IndexOfAny(" \"'\n\t") < 0 ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>VmHWM of a live process in bytes; 0 once it is gone.</summary>
    public static long ReadHighWaterMark(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return ParseKb(line["VmHWM:".Length..]) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended between two polls.
        }
        return 0;
    }

    public static long ParseKb(string text)
    {
        var t = text.Trim();
        if (t.EndsWith("kB", StringComparison.Ordinal))
        {
            t = t[..^2].Trim();
        }
        return long.Parse(t, CultureInfo.InvariantCulture);
    }

    /// <summary>CPU time and largest RSS of every reaped child of this process so far.</summary>
    public static (TimeSpan Cpu, long MaxRssBytes) ChildrenUsage()
    {
        if (GetRusage(RusageChildren, out var usage) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }
        var micros = (usage.UserSeconds + usage.SystemSeconds) * 1_000_000 + usage.UserMicros + usage.SystemMicros;
        return (TimeSpan.FromMicroseconds(micros), usage.MaxRssKb * 1024);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds;
        public long UserMicros;
        public long SystemSeconds;
        public long SystemMicros;
        public long MaxRssKb;
        public long IxRss;
        public long IdRss;
        public long IsRss;
        public long MinFlt;
        public long MajFlt;
        public long NSwap;
        public long InBlock;
        public long OuBlock;
        public long MsgSnd;
        public long MsgRcv;
        public long NSignals;
        public long NVcsw;
        public long NIvcsw;
    }

    [LibraryImport("libc", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, out Rusage usage);
}
