// Progress for logs and non-terminals: one line every few seconds, as text on stderr or as a JSON log event.
using Etl.Runtime;
using Microsoft.Extensions.Logging;

namespace Etl.Cli.Output;

public static class PlainView
{
    public static async Task<RunResult> ShowAsync(RunProgress display, Task<RunResult> run, TimeSpan every, ILogger? jsonLogger, TextWriter stderr, TimeProvider time)
    {
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(every, time));
            if (run.IsCompleted)
            {
                break;
            }
            if (jsonLogger is null)
            {
                await stderr.WriteLineAsync(display.Line());
            }
            else if (jsonLogger.IsEnabled(LogLevel.Information))
            {
                jsonLogger.LogInformation("progress {Line}", display.Line());
            }
        }
        return await run;
    }
}
