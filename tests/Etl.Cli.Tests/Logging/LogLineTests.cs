// Text log lines read like a command-line tool's: time, level, message; no category or event id.
using Etl.Cli.Logging;
using Microsoft.Extensions.Logging;

namespace Etl.Cli.Tests.Logging;

public sealed class LogLineTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 12, 1, 3, TimeSpan.Zero);

    [Fact]
    public void LogLine_Information_IsTimeLevelAndMessage()
    {
        var line = LogLine.Format(At, LogLevel.Information, "orders: run 20261202T061531Z-99c42b70 committed — read 3");

        Assert.Equal("12:01:03 info  orders: run 20261202T061531Z-99c42b70 committed — read 3", line);
    }

    [Fact]
    public void LogLine_Levels_StartMessagesInOneColumn()
    {
        var lines = new[] { LogLevel.Information, LogLevel.Warning, LogLevel.Error }.Select(l => LogLine.Format(At, l, "m"));

        Assert.Equal(["12:01:03 info  m", "12:01:03 warn  m", "12:01:03 error m"], lines);
    }
}
