// Whether this process leaves a core idle: work that only pays off on an idle core (a rehearsal) asks first.
namespace Etl.Runtime;

/// <summary>Measures how many cores the process keeps busy over a short window, from its CPU time.</summary>
internal static class IdleCores
{
    /// <summary>The window measured: long enough to average over a burst of responses, short beside a run.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    /// <summary>The process's CPU time so far (user and kernel, all threads).</summary>
    public static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;

    /// <summary>True when, over <see cref="Window"/>, the process left a core idle (half of it on a one-core machine).</summary>
    public static async Task<bool> AnyAsync(TimeProvider time, Func<TimeSpan> processCpu, int processors, CancellationToken cancellationToken)
    {
        var cpuBefore = processCpu();
        var started = time.GetTimestamp();
        await Task.Delay(Window, time, cancellationToken);
        var busy = (processCpu() - cpuBefore) / time.GetElapsedTime(started);
        return busy <= processors - Math.Min(1.0, processors / 2.0);
    }
}
