// etl run: runs specs in order, stops at the first failure, shows progress on stderr and one summary line per spec on stdout.
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Etl.Cli.Output;
using Etl.Runtime;
using Etl.Spec;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace Etl.Cli.Commands;

internal static class RunCommand
{
    public const int DefaultPlainIntervalSeconds = 5;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var specs = CommonOptions.Specs();
        var param = CommonOptions.Param();
        var summaryJson = new Option<FileInfo?>("--summary-json") { Description = "Write the run summaries (counts, files, status) as JSON to this file.", HelpName = "file" };
        var progress = new Option<string>("--progress")
        {
            Description = "auto (default: live display on a terminal, plain lines otherwise), live, plain (a line every few seconds on stderr) or none.",
            DefaultValueFactory = _ => "auto",
        };
        progress.AcceptOnlyFromAmong("auto", "live", "plain", "none");
        var interval = new Option<int>("--progress-interval")
        {
            Description = $"Seconds between plain progress lines. Default {DefaultPlainIntervalSeconds}.",
            DefaultValueFactory = _ => DefaultPlainIntervalSeconds,
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "text (default) or json: structured log events, one JSON object a line, on stderr.",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only errors and the final summary." };
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "Ignore the incremental state (_state.json): read from the source's \"initial\" cursor again." };
        var command = new Command("run", $"""
            Run pipeline specs in order; stop at the first one that fails.
            Output files become visible only when a run succeeds. One summary line per spec goes to stdout;
            progress and logs go to stderr.

            Examples:
              etl run pipelines/orders-csv-to-parquet.json --param date=2026-11-28
              etl run pipelines/a.json pipelines/b.json --progress plain --log-format json --summary-json run.json

            {ExitCode.Help}
            """) { specs, param, summaryJson, progress, interval, logFormat, quiet, fullRefresh };
        command.SetAction(async (parse, invocationToken) =>
        {
            var isQuiet = parse.GetValue(quiet);
            var json = parse.GetValue(logFormat) == "json";
            // Ctrl+C and SIGTERM cancel the run cleanly (nothing committed, exit 130); a second one stops at once.
            // (An InvocationConfiguration built by hand has no ProcessTerminationTimeout, so System.CommandLine does not.)
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
            void OnSignal(PosixSignalContext context)
            {
                context.Cancel = !interrupt.IsCancellationRequested;
                _ = interrupt.CancelAsync();
            }
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
            var cancellationToken = interrupt.Token;
            using var loggerFactory = LoggerFactory.Create(b =>
            {
                if (json)
                {
                    b.AddJsonConsole(o => o.IncludeScopes = false);
                }
                else
                {
                    b.AddSimpleConsole(o => o.SingleLine = true);
                }
                b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                b.SetMinimumLevel(isQuiet ? LogLevel.Error : LogLevel.Information);
            });
            var logger = loggerFactory.CreateLogger("etl");
            Dictionary<string, string> overrides;
            try
            {
                overrides = CommonOptions.ParseParams(parse.GetValue(param));
            }
            catch (SpecException e)
            {
                await stderr.WriteLineAsync(e.Message);
                return ExitCode.InvalidSpec;
            }
            // Every spec is checked before the first one runs: a typo in the last must not cost the first's work.
            var loaded = new List<LoadedSpec>();
            var invalid = false;
            foreach (var path in parse.GetValue(specs) ?? [])
            {
                try
                {
                    loaded.Add(SpecLoader.Load(path, overrides.Where(kv => DeclaresParameter(path, kv.Key)).ToDictionary()));
                }
                catch (SpecException e)
                {
                    foreach (var error in e.Errors)
                    {
                        await stderr.WriteLineAsync(error.ToString());
                    }
                    invalid = true;
                }
            }
            if (invalid)
            {
                return ExitCode.InvalidSpec;
            }
            var unused = overrides.Keys.Where(k => loaded.All(l => !l.Parameters.ContainsKey(k))).ToList();
            if (unused.Count > 0)
            {
                var declared = loaded.SelectMany(l => l.Parameters.Keys).Distinct().ToList();
                foreach (var name in unused)
                {
                    var hint = Suggest.Closest(name, declared);
                    await stderr.WriteLineAsync($"--param {name}: no spec declares this parameter" + (hint is not null ? $" (did you mean '{hint}'?)" : ""));
                }
                return ExitCode.InvalidSpec;
            }

            var mode = parse.GetValue(progress);
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr) });
            if (mode == "auto")
            {
                mode = isQuiet ? "none" : !json && ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected && console.Profile.Capabilities.Interactive ? "live" : "plain";
            }
            var results = new List<RunResult>();
            var exit = ExitCode.Success;
            foreach (var spec in loaded)
            {
                var display = new RunProgress(spec.Spec.Name, TimeProvider.System);
                var runner = new PipelineRunner(new RunOptions { Logger = logger, OnStart = display.Attach, FullRefresh = parse.GetValue(fullRefresh), Checkpoint = TestCheckpoint.FromEnvironment() });
                var task = runner.RunAsync(spec, cancellationToken);
                var result = mode switch
                {
                    "live" => await LiveAsync(console, display, task),
                    "plain" => await PlainAsync(display, task, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(interval))), json, logger, stderr),
                    _ => await task,
                };
                results.Add(result);
                await stdout.WriteLineAsync(result.SummaryLine);
                if (result.SchemaChangesLine is { } evolved)
                {
                    await stdout.WriteLineAsync(evolved);
                }
                if (result.Error is not null)
                {
                    await stderr.WriteLineAsync($"{spec.Spec.Name}: {result.Error}");
                }
                if (result.DeadLetterFile is not null)
                {
                    await stderr.WriteLineAsync($"{spec.Spec.Name}: {result.Failed + result.FailedRequests} dead letter(s) in {result.DeadLetterFile}");
                }
                if (result.ExitCode != ExitCode.Success)
                {
                    exit = result.ExitCode;
                    break;
                }
            }
            if (mode == "live")
            {
                console.Write(SummaryTable.Render(results));
            }
            if (parse.GetValue(summaryJson) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(results, SummaryJson.Options), CancellationToken.None);
            }
            return exit;
        });
        return command;
    }

    private static async Task<RunResult> LiveAsync(IAnsiConsole console, RunProgress display, Task<RunResult> run)
    {
        await console.Live(display.Render()).AutoClear(false).StartAsync(async ctx =>
        {
            while (!run.IsCompleted)
            {
                ctx.UpdateTarget(display.Render());
                await Task.WhenAny(run, Task.Delay(250));
            }
            ctx.UpdateTarget(display.Render(final: true));
        });
        return await run;
    }

    private static async Task<RunResult> PlainAsync(RunProgress display, Task<RunResult> run, TimeSpan every, bool json, ILogger logger, TextWriter stderr)
    {
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(every));
            if (run.IsCompleted)
            {
                break;
            }
            if (json && logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("progress {Line}", display.Line());
            }
            else if (!json)
            {
                await stderr.WriteLineAsync(display.Line());
            }
        }
        return await run;
    }

    // With several specs, a --param applies to those that declare it.
    private static bool DeclaresParameter(string path, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object && p.TryGetProperty(name, out _);
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            return true;
        }
    }
}
