// The live display on an ANSI terminal (Spectre's test console): log lines land above the table, the table is drawn once.
using Etl.Cli.Logging;
using Etl.Cli.Output;
using Etl.Cli.Tests.Terminal;
using Etl.Runtime;
using Spectre.Console.Testing;

namespace Etl.Cli.Tests.Output;

public sealed class LiveViewTests
{
    private const int Columns = 120;
    private const string LogText = "12:01:03 info  orders: run r committed — read 3";

    private static RunResult Result() => new()
    {
        RunId = "r",
        SpecName = "orders",
        SpecPath = "orders.json",
        Status = RunStatus.Succeeded,
        StartedAt = DateTimeOffset.UnixEpoch,
        EndedAt = DateTimeOffset.UnixEpoch,
    };

    private static async Task<IReadOnlyList<string>> ScreenAfterARunThatLogsAsync()
    {
        var console = new TestConsole().Width(Columns).Height(40).Interactive().EmitAnsiSequences();
        var log = new TerminalLog(TextWriter.Null);
        var run = new TaskCompletionSource<RunResult>();
        var shown = LiveView.ShowAsync(console, new RunProgress("orders", TimeProvider.System), log, () => run.Task, TimeProvider.System);
        log.Write(LogText);
        run.SetResult(Result());
        await shown;
        return TerminalScreen.Of(console.Output, Columns).Lines;
    }

    [Fact]
    public async Task LiveView_LogLineDuringARun_IsALineOfItsOwnAboveTheTable()
    {
        var screen = await ScreenAfterARunThatLogsAsync();

        var logLine = Assert.Single(screen, l => l.Contains("committed", StringComparison.Ordinal));
        Assert.Equal(LogText, logLine);
        Assert.True(screen.ToList().IndexOf(logLine) < screen.ToList().FindIndex(l => l.StartsWith('╭')), string.Join('\n', screen));
    }

    [Fact]
    public async Task LiveView_AfterTheRun_TheTableIsOnScreenOnce()
    {
        var screen = await ScreenAfterARunThatLogsAsync();

        Assert.Single(screen, l => l.StartsWith('╭'));
        Assert.Single(screen, l => l.Trim() == "orders");
    }
}
