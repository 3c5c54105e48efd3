// End to end on a pseudo-terminal: what a person sees while etl runs — time left, log lines above the table, one final table.
using System.Text.RegularExpressions;

namespace Etl.Cli.Tests.Terminal;

public sealed partial class LiveDisplayTerminalTests(TerminalRun run) : IClassFixture<TerminalRun>
{
    [Fact]
    public void EtlRun_OnATerminal_Succeeds()
    {
        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public void EtlRun_OnATerminalWhileRunning_ShowsTimeLeftOnTheSourceRow()
    {
        var source = Assert.Single(run.WhileRunning, l => l.Contains("│ source (csv)", StringComparison.Ordinal));

        Assert.True(Regex.IsMatch(source, @"% of [\d.]+ [kMG]?B · [\d.]+ [kMG]?B/s · ETA \d+:\d\d"), source);
    }

    [Fact]
    public void EtlRun_OnATerminal_LogTextIsNeverDrawnInsideTheTable()
    {
        // Every line any frame drew, as the terminal received it, escape sequences removed: a log event shares none with the table.
        var drawn = AnsiSequence().Replace(run.Output, "").Split('\r', '\n');

        Assert.All(drawn.Where(l => l.Contains(" info ", StringComparison.Ordinal)), l => Assert.Matches(LogLinePattern, l));
        Assert.All(run.AtEnd.Where(l => l.Contains(" info ", StringComparison.Ordinal)), l => Assert.Matches(LogLinePattern, l));
    }

    [Fact]
    public void EtlRun_OnATerminal_TheCommitLogLineIsAboveTheFinalTable()
    {
        var screen = run.AtEnd.ToList();

        var commit = Assert.Single(screen, l => l.Contains("committed", StringComparison.Ordinal));
        Assert.Matches(@"^\d\d:\d\d:\d\d info  orders: run \d{8}T\d{6}Z-[0-9a-f]{8} committed — read 200000", commit);
        Assert.True(screen.IndexOf(commit) < screen.FindIndex(l => l.Contains("│ source (csv)", StringComparison.Ordinal)), run.ToString());
    }

    [Fact]
    public void EtlRun_OnATerminal_TheStageTableIsOnScreenOnce()
    {
        Assert.True(run.AtEnd.Count(l => l.Contains("│ source (csv)", StringComparison.Ordinal)) == 1, run.ToString());
        Assert.True(run.AtEnd.Count(l => l.Trim() == "orders") == 1, run.ToString());
    }

    private const string LogLinePattern = @"^\d\d:\d\d:\d\d info  orders: run [^│╯╮]*$";

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[^\[])")]
    private static partial Regex AnsiSequence();
}
