// etl run: runs specs in order, stops at the first failure, prints one summary line per spec.
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Etl.Runtime;
using Etl.Spec;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Etl.Cli.Commands;

internal static class RunCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var specs = CommonOptions.Specs();
        var param = CommonOptions.Param();
        var summaryJson = new Option<FileInfo?>("--summary-json") { Description = "Also write the run summaries as JSON to this file." };
        var fullRefresh = new Option<bool>("--full-refresh") { Description = "Ignore the incremental state (_state.json): read from the source's \"initial\" cursor again." };
        var command = new Command("run", $"""
            Run pipeline specs in order; stop at the first one that fails.
            Output files become visible only when a run succeeds. One summary line per spec goes to stdout; logs go to stderr.

            Examples:
              etl run pipelines/orders-csv-to-parquet.json --param date=2026-11-28
              etl run pipelines/a.json pipelines/b.json

            {ExitCode.Help}
            """) { specs, param, summaryJson, fullRefresh };
        command.SetAction(async (parse, invocationToken) =>
        {
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
                b.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Warning);
                b.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            });
            var logger = loggerFactory.CreateLogger("etl");
            var results = new List<RunResult>();
            var exit = ExitCode.Success;
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
                    exit = ExitCode.InvalidSpec;
                }
            }
            if (exit != ExitCode.Success)
            {
                return exit;
            }
            var unused = overrides.Keys.Where(k => loaded.All(l => !l.Parameters.ContainsKey(k))).ToList();
            if (unused.Count > 0)
            {
                await stderr.WriteLineAsync($"--param {string.Join(", ", unused)}: no spec declares this parameter");
                return ExitCode.InvalidSpec;
            }
            foreach (var spec in loaded)
            {
                var result = await new PipelineRunner(new RunOptions { Logger = logger, FullRefresh = parse.GetValue(fullRefresh) }).RunAsync(spec, cancellationToken);
                results.Add(result);
                await stdout.WriteLineAsync(result.SummaryLine);
                if (result.Error is not null)
                {
                    await stderr.WriteLineAsync($"{spec.Spec.Name}: {result.Error}");
                }
                if (result.DeadLetterFile is not null)
                {
                    await stderr.WriteLineAsync($"{spec.Spec.Name}: dead letters in {result.DeadLetterFile}");
                }
                if (result.ExitCode != ExitCode.Success)
                {
                    exit = result.ExitCode;
                    break;
                }
            }
            if (parse.GetValue(summaryJson) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(results, SummaryJson.Options), CancellationToken.None);
            }
            return exit;
        });
        return command;
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
