// The text form of one log event, as a command-line tool prints it: "12:01:03 info  orders: run … committed — …".
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Etl.Cli.Logging;

public static class LogLine
{
    /// <summary>Width the level name is padded to, so messages start in one column.</summary>
    public const int LevelWidth = 5;

    public static string Format(DateTimeOffset localTime, LogLevel level, string message, Exception? exception = null)
    {
        var line = $"{localTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {Level(level).PadRight(LevelWidth)} {message}";
        // The exception's message is usually in the event already; its type and stack help only when it is not.
        return exception is null ? line : $"{line}{Environment.NewLine}{exception}";
    }

    public static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };
}
