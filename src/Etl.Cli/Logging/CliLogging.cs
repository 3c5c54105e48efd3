// The logger factory of a run: JSON events from Microsoft's console logger, or readable text lines through a TerminalLog.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Etl.Cli.Logging;

public static class CliLogging
{
    /// <summary>The category every event is logged under (JSON events carry it).</summary>
    public const string Category = "etl";

    public static ILoggerFactory Create(bool json, bool quiet, TerminalLog text, TimeProvider time)
    {
        var minimum = quiet ? LogLevel.Error : LogLevel.Information;
        if (!json)
        {
            // Text lines need no options or services: a plain factory starts without the dependency-injection container.
            return new LoggerFactory([new TerminalLoggerProvider(text, time)], new LoggerFilterOptions { MinLevel = minimum });
        }
        return LoggerFactory.Create(b =>
        {
            b.AddJsonConsole(o => o.IncludeScopes = false);
            b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            b.SetMinimumLevel(minimum);
        });
    }
}
