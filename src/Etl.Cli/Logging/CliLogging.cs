// The logger factory of a run: JSON events from Microsoft's console logger, or readable text lines through a TerminalLog.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Etl.Cli.Logging;

public static class CliLogging
{
    /// <summary>The category every event is logged under (JSON events carry it).</summary>
    public const string Category = "etl";

    public static ILoggerFactory Create(bool json, bool quiet, TerminalLog text, TimeProvider time) => LoggerFactory.Create(b =>
    {
        if (json)
        {
            b.AddJsonConsole(o => o.IncludeScopes = false);
            b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        else
        {
            b.AddProvider(new TerminalLoggerProvider(text, time));
        }
        b.SetMinimumLevel(quiet ? LogLevel.Error : LogLevel.Information);
    });
}
