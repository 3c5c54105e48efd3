// etl run: runs specs in order, stops at the first failure, shows progress on stderr and one summary line per spec on stdout.
using System.CommandLine;
using System.Text.Json;
using Etl.Cli.Logging;
using Etl.Cli.Output;
using Etl.Runtime;
using Etl.Spec;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Etl.Cli.Commands;

internal sealed class RunCommand
{
    private readonly RunCommandOptions _options;
    private readonly ParseResult _parse;
    private readonly TextWriter _stdout;
    private readonly TextWriter _stderr;
    private readonly TimeProvider _time = TimeProvider.System;

    private RunCommand(RunCommandOptions options, ParseResult parse, TextWriter stdout, TextWriter stderr)
    {
        _options = options;
        _parse = parse;
        _stdout = stdout;
        _stderr = stderr;
    }

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var options = new RunCommandOptions();
        var command = new Command("run", $"""
            Run pipeline specs in order; stop at the first one that fails.
            Output files become visible only when a run succeeds. One summary line per spec goes to stdout;
            progress and logs go to stderr.

            Examples:
              etl run pipelines/orders-csv-to-parquet.json --param date=2026-11-28
              etl run pipelines/a.json pipelines/b.json --progress plain --log-format json --summary-json run.json
              JOB_COMPLETION_INDEX=2 etl run pipelines/orders-http.json --shards 4 --run-id nightly-2026-12-02

            {ExitCode.Help}
            """);
        options.AddTo(command);
        command.SetAction((parse, token) => new RunCommand(options, parse, stdout, stderr).ExecuteAsync(token));
        return command;
    }

    private bool Quiet => _parse.GetValue(_options.Quiet);

    private bool Json => _parse.GetValue(_options.LogFormat) == "json";

    private async Task<int> ExecuteAsync(CancellationToken invocationToken)
    {
        using var interrupt = new Interrupt(invocationToken);
        // Log events go to the process's stderr, as Microsoft's console logger sent them: in-process callers that pass
        // their own writers get what the command prints, not the engine's events.
        var log = new TerminalLog(Console.Error);
        using var loggerFactory = CliLogging.Create(Json, Quiet, log, _time);
        var (loaded, invalid) = await LoadSpecsAsync();
        if (invalid)
        {
            return ExitCode.InvalidSpec;
        }
        Shard? shard;
        try
        {
            shard = _options.Sharding.Resolve(_parse, Environment.GetEnvironmentVariable);
            if (shard is not null && loaded.Count > 1)
            {
                throw new UsageException($"--shards runs one spec; got {loaded.Count}");
            }
            if (Json && _parse.GetValue(_options.Progress) == "live")
            {
                // Microsoft's JSON console logger writes from its own thread, through the live table.
                throw new UsageException("--progress live draws a table on the terminal that JSON log lines would cut through; with --log-format json use --progress plain (progress as log events) or none");
            }
        }
        catch (UsageException e)
        {
            await _stderr.WriteLineAsync($"etl run: {e.Message}");
            return ExitCode.InvalidSpec;
        }
        // Made only when the terminal is asked about or drawn on: plain, none and --quiet runs do without Spectre.Console.
        var console = new Lazy<IAnsiConsole>(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_stderr) }));
        var mode = ProgressMode(console);
        var results = new List<RunResult>();
        var exit = ExitCode.Success;
        foreach (var spec in loaded)
        {
            var result = await RunOneAsync(spec, shard, mode, console, log, loggerFactory.CreateLogger(CliLogging.Category), interrupt.Token);
            results.Add(result);
            await ReportAsync(spec, result);
            if (result.ExitCode != ExitCode.Success)
            {
                exit = result.ExitCode;
                break;
            }
        }
        if (mode == "live")
        {
            console.Value.Write(SummaryTable.Render(results));
        }
        if (_parse.GetValue(_options.SummaryJson) is { } file)
        {
            await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(results, SummaryJson.Options), CancellationToken.None);
        }
        return exit;
    }

    /// <summary>auto: the live table on an interactive terminal, plain lines otherwise (and always with JSON logs), none when quiet.</summary>
    private string ProgressMode(Lazy<IAnsiConsole> console)
    {
        var mode = _parse.GetValue(_options.Progress) ?? "auto";
        if (mode != "auto")
        {
            return mode;
        }
        if (Quiet)
        {
            return "none";
        }
        var terminal = ReferenceEquals(_stderr, Console.Error) && !Console.IsErrorRedirected && console.Value.Profile.Capabilities.Interactive;
        return !Json && terminal ? "live" : "plain";
    }

    private async Task<RunResult> RunOneAsync(LoadedSpec spec, Shard? shard, string mode, Lazy<IAnsiConsole> console, TerminalLog log, ILogger logger, CancellationToken cancellationToken)
    {
        var display = new RunProgress(spec.Spec.Name, _time);
        var runner = new PipelineRunner(new RunOptions
        {
            Logger = logger,
            OnStart = display.Attach,
            FullRefresh = _parse.GetValue(_options.FullRefresh),
            Checkpoint = TestCheckpoint.FromEnvironment(),
            Shard = shard,
        });
        Task<RunResult> Start() => runner.RunAsync(spec, cancellationToken);
        var every = TimeSpan.FromSeconds(Math.Max(1, _parse.GetValue(_options.Interval)));
        return mode switch
        {
            "live" => await LiveView.ShowAsync(console.Value, display, log, Start, _time),
            "plain" => await PlainView.ShowAsync(display, Start(), every, Json ? logger : null, _stderr, _time),
            _ => await Start(),
        };
    }

    private async Task ReportAsync(LoadedSpec spec, RunResult result)
    {
        await _stdout.WriteLineAsync(result.SummaryLine);
        if (result.SchemaChangesLine is { } evolved)
        {
            await _stdout.WriteLineAsync(evolved);
        }
        // The run's log, on this process's stderr, already carries the error (text or JSON, --quiet included); callers
        // that pass their own writers get the log elsewhere, so they get the error here.
        if (result.Error is not null && !ReferenceEquals(_stderr, Console.Error))
        {
            await _stderr.WriteLineAsync($"{spec.Spec.Name}: {result.Error}");
        }
        if (result.DeadLetterFile is not null)
        {
            await _stderr.WriteLineAsync($"{spec.Spec.Name}: {result.Failed + result.FailedRequests} dead letter(s) in {result.DeadLetterFile}");
        }
    }

    /// <summary>Every spec is checked before the first one runs: a typo in the last must not cost the first's work.
    /// Problems go to stderr, every one of them.</summary>
    private async Task<(List<LoadedSpec> Loaded, bool Invalid)> LoadSpecsAsync()
    {
        Dictionary<string, string> overrides;
        try
        {
            overrides = CommonOptions.ParseParams(_parse.GetValue(_options.Param));
        }
        catch (SpecException e)
        {
            await _stderr.WriteLineAsync(e.Message);
            return ([], true);
        }
        var loaded = new List<LoadedSpec>();
        var invalid = false;
        foreach (var path in _parse.GetValue(_options.Specs) ?? [])
        {
            try
            {
                loaded.Add(SpecLoader.Load(path, DeclaredBy(path, overrides)));
            }
            catch (SpecException e)
            {
                foreach (var error in e.Errors)
                {
                    await _stderr.WriteLineAsync(error.ToString());
                }
                invalid = true;
            }
        }
        return (loaded, invalid || !await CheckParamsUsedAsync(overrides, loaded));
    }

    /// <summary>A --param that no spec declares is a usage error, with the closest declared name.</summary>
    /// <summary>The overrides <paramref name="path"/> declares (a loop: LINQ over key/value pairs is compiled at run time,
    /// on the path of the run's first request).</summary>
    private static Dictionary<string, string> DeclaredBy(string path, Dictionary<string, string> overrides)
    {
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            if (DeclaresParameter(path, name))
            {
                declared[name] = value;
            }
        }
        return declared;
    }

    private async Task<bool> CheckParamsUsedAsync(Dictionary<string, string> overrides, List<LoadedSpec> loaded)
    {
        var unused = overrides.Keys.Where(k => loaded.All(l => !l.Parameters.ContainsKey(k))).ToList();
        var declared = loaded.SelectMany(l => l.Parameters.Keys).Distinct().ToList();
        foreach (var name in unused)
        {
            var hint = Suggest.Closest(name, declared);
            await _stderr.WriteLineAsync($"--param {name}: no spec declares this parameter" + (hint is not null ? $" (did you mean '{hint}'?)" : ""));
        }
        return unused.Count == 0;
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
