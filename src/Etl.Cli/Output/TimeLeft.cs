// The time a source still needs, from the share of its known total done so far and the time that took.
using System.Globalization;

namespace Etl.Cli.Output;

public static class TimeLeft
{
    /// <summary>Below this much work done, an estimate would swing too much to be useful.</summary>
    public const double MinimumFractionDone = 0.001;

    /// <summary>Time left at the average pace so far; null when the total is unknown, nothing is done yet, or all is.
    /// The average over the whole run, not the last seconds: a source that pauses on back-pressure keeps a steady estimate.</summary>
    public static TimeSpan? Estimate(long done, long? total, TimeSpan elapsed)
    {
        if (total is not > 0 || done <= 0 || done >= total || elapsed <= TimeSpan.Zero
            || (double)done / total.Value < MinimumFractionDone)
        {
            return null;
        }
        return TimeSpan.FromSeconds(elapsed.TotalSeconds * (total.Value - done) / done);
    }

    /// <summary>"0:42", "12:03", "1:02:03": hours only when there are any.</summary>
    public static string Format(TimeSpan left)
    {
        var seconds = (long)Math.Ceiling(left.TotalSeconds);
        var (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
        return h > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{h}:{m:00}:{s:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{m}:{s:00}");
    }
}
