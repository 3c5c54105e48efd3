// Runs the real CLI entry point in-process and checks, on every summary line, that read + added = written + filtered + failed.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Etl.Cli.Tests.TestSupport;

/// <summary>One summary line of <c>etl run</c>.</summary>
public sealed record Summary(string Name, string Status, long Read, long Filtered, long Failed, long Added, long Written, long Files);

public sealed record CliResult(int ExitCode, string Stdout, string Stderr, IReadOnlyList<Summary> Summaries)
{
    public Summary Summary => Assert.Single(Summaries);

    /// <summary>The stderr lines, without the empty last one.</summary>
    public IReadOnlyList<string> ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

public static partial class EtlCli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await Program.RunAsync(args, stdout, stderr, CancellationToken.None);
        var result = new CliResult(exit, stdout.ToString(), stderr.ToString(), ParseSummaries(stdout.ToString()));
        AssertBalanced(result);
        return result;
    }

    /// <summary>Runs and expects exit 0, showing the whole output when it is not.</summary>
    public static async Task<CliResult> RunOkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static IReadOnlyList<Summary> ParseSummaries(string stdout) =>
        [.. SummaryPattern().Matches(stdout).Select(m => new Summary(
            m.Groups["name"].Value,
            m.Groups["status"].Value,
            Long(m, "read"), Long(m, "filtered"), Long(m, "failed"), Long(m, "added"), Long(m, "written"), Long(m, "files")))];

    /// <summary>Every record is accounted for: read + added by explode = written + filtered + failed.</summary>
    public static void AssertBalanced(CliResult result)
    {
        foreach (var s in result.Summaries)
        {
            Assert.True(s.Read + s.Added == s.Written + s.Filtered + s.Failed,
                $"read {s.Read} + added {s.Added} != written {s.Written} + filtered {s.Filtered} + failed {s.Failed}\n{result}");
        }
    }

    private static long Long(Match m, string group) =>
        m.Groups[group].Success ? long.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^(?<name>\S+): (?<status>\w+) — read (?<read>\d+), filtered (?<filtered>\d+), failed (?<failed>\d+)(, added by explode (?<added>\d+))?, written (?<written>\d+), files (?<files>\d+)", RegexOptions.Multiline)]
    private static partial Regex SummaryPattern();
}
