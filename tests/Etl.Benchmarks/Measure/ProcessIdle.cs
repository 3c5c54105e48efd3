// Waits until another process stops using CPU: a freshly started server compiles its request path in the background
// for a while after its first requests, and a client timed meanwhile shares the cores with that compilation.
using System.Diagnostics;
using System.Globalization;

namespace Etl.Benchmarks.Measure;

public static class ProcessIdle
{
    /// <summary>How often the process's CPU time is read.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Returns once the CPU time of process <paramref name="pid"/> (user + system, /proc/&lt;pid&gt;/stat) has not advanced
    /// for <paramref name="quiet"/>, or when <paramref name="timeout"/> has passed, whichever is first; at once where
    /// /proc is not there or the process is gone. Returns whether the process went quiet.
    /// </summary>
    public static async Task<bool> WaitAsync(int pid, TimeSpan quiet, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var last = CpuTicks(pid);
        var since = clock.Elapsed;
        while (last is not null && clock.Elapsed < timeout)
        {
            await Task.Delay(Poll);
            var now = CpuTicks(pid);
            if (now != last)
            {
                (last, since) = (now, clock.Elapsed);
            }
            else if (clock.Elapsed - since >= quiet)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>utime + stime of a live process in clock ticks, or null when it cannot be read.</summary>
    public static long? CpuTicks(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return ParseCpuTicks(stat);
    }

    /// <summary>utime + stime from a /proc/&lt;pid&gt;/stat line: fields 14 and 15, counted after the command name, which
    /// is in parentheses and may itself hold spaces and parentheses.</summary>
    public static long? ParseCpuTicks(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }
        // After ")": state (field 3) is the first, so utime (14) and stime (15) are the 12th and 13th.
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 12
            && long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            && long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system)
            ? user + system
            : null;
    }
}
