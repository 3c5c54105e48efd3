// What one etl invocation printed, with its summary lines parsed and checked: read + added = written + filtered + failed.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Etl.Cli.Tests.TestSupport;

/// <summary>One summary line of <c>etl run</c>.</summary>
public sealed record Summary(string Name, string Status, long Read, long Filtered, long Failed, long Added, long Written, long Files);

public sealed partial record CliResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<Summary> Summaries)
{
    public Summary Summary => Assert.Single(Summaries);

    /// <summary>The stderr lines, without the empty last one.</summary>
    public IReadOnlyList<string> ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    /// <summary>Parses the summary lines of <paramref name="stdout"/> and asserts that every one balances.</summary>
    public static CliResult Of(int exitCode, string stdout, string stderr)
    {
        var result = new CliResult(exitCode, stdout, stderr, ParseSummaries(stdout));
        result.AssertBalanced();
        return result;
    }

    public static IReadOnlyList<Summary> ParseSummaries(string stdout) =>
        [.. SummaryPattern().Matches(stdout).Select(m => new Summary(
            m.Groups["name"].Value,
            m.Groups["status"].Value,
            Long(m, "read"), Long(m, "filtered"), Long(m, "failed"), Long(m, "added"), Long(m, "written"), Long(m, "files")))];

    /// <summary>Every record is accounted for: read + added by explode = written + filtered + failed.</summary>
    public void AssertBalanced()
    {
        // A cancelled or failed run drops the records still in flight between blocks: they were read and never reached
        // an end (a JSON array cut short fails its run after the items before the cut were read).
        foreach (var s in Summaries.Where(s => s.Status is not ("cancelled" or "failed")))
        {
            Assert.True(s.Read + s.Added == s.Written + s.Filtered + s.Failed,
                $"read {s.Read} + added {s.Added} != written {s.Written} + filtered {s.Filtered} + failed {s.Failed}\n{this}");
        }
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";

    private static long Long(Match m, string group) =>
        m.Groups[group].Success ? long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?<name>\S+): (?<status>\w+) — read (?<read>\d+), filtered (?<filtered>\d+), failed (?<failed>\d+)(, added by explode (?<added>\d+))?, written (?<written>\d+), files (?<files>\d+)", RegexOptions.Multiline)]
    private static partial Regex SummaryPattern();
}
