// The live display of one run: the stage table redrawn from the counters at a fixed rate, log lines printed above it.
using Etl.Cli.Logging;
using Etl.Runtime;
using Spectre.Console;

namespace Etl.Cli.Output;

public static class LiveView
{
    /// <summary>How often the table is redrawn: reading counters at a fixed rate costs the run nothing, however fast it goes.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Starts the run and shows <paramref name="display"/> until it ends; log lines written meanwhile are held by
    /// <paramref name="log"/> and drawn above the table, never inside it. The table's last state stays on screen.</summary>
    public static async Task<RunResult> ShowAsync(IAnsiConsole console, RunProgress display, TerminalLog log, Func<Task<RunResult>> start, TimeProvider time)
    {
        // Held from before the start: the run's first event must not race the first drawing of the table.
        log.Hold();
        try
        {
            var run = start();
            await console.Live(display.Render()).AutoClear(false).StartAsync(async context =>
            {
                while (!run.IsCompleted)
                {
                    WriteHeld(console, log);
                    context.UpdateTarget(display.Render());
                    await Task.WhenAny(run, Task.Delay(RefreshInterval, time));
                }
                WriteHeld(console, log);
                context.UpdateTarget(display.Render(final: true));
            });
            return await run;
        }
        finally
        {
            log.Release();
        }
    }

    // Through the console that draws the table: Spectre clears the table, prints the lines, and draws the table again below them.
    private static void WriteHeld(IAnsiConsole console, TerminalLog log)
    {
        foreach (var line in log.TakeHeld())
        {
            console.Write(new Text(line + "\n"));
        }
    }
}
