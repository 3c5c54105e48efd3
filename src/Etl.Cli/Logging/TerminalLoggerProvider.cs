// A logger provider for text logs: each event becomes one LogLine written through the TerminalLog.
// Not Microsoft's console logger: that one writes to the console from its own thread, where it cannot wait
// for the live display and lands inside its table.
using Microsoft.Extensions.Logging;

namespace Etl.Cli.Logging;

public sealed class TerminalLoggerProvider(TerminalLog log, TimeProvider time) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TerminalLogger(log, time);

    public void Dispose()
    {
    }

    private sealed class TerminalLogger(TerminalLog log, TimeProvider time) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Levels are filtered by the factory (SetMinimumLevel); everything that gets here is wanted.
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            log.Write(LogLine.Format(time.GetLocalNow(), logLevel, formatter(state, exception), exception));
        }
    }
}
