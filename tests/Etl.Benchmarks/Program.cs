// Entry point of the benchmark harness: generates data, runs the scenarios through the real etl CLI and the baselines, prints the table.
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Etl.Benchmarks;
using Etl.Benchmarks.Baseline;
using Etl.Benchmarks.Report;
using Etl.Benchmarks.Scenarios;

string[] fileScenarios = ["csv-parquet", "ndjson-parquet", "csv-filter", "json-array", WideScenario.Id, SmallFilesScenario.Id];
string[] httpScenarios = ["http-latency", "http-throughput", "http-adaptive", "http-ratelimit", "http-healthy-adaptive", "http-bulk"];
string[] everyScenario = [.. fileScenarios, "memory", "partitions", .. httpScenarios];

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(BenchOptions.Usage);
    return args.Length == 0 ? 2 : 0;
}
if (args[0] == "baseline-duckdb")
{
    if (args.Length != 2)
    {
        Console.Error.WriteLine("usage: baseline-duckdb SQL");
        return 2;
    }
    return DuckDbBaseline.Run(args[1]);
}
if (args[0] == "sink-write")
{
    return await Etl.Benchmarks.Micro.SinkWriteTimer.RunAsync(args[1..]);
}
if (args[0] == "micro")
{
    var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(BenchContext.RepoRootFrom(Environment.CurrentDirectory), BenchOptions.DefaultOut, "micro"));
    var rest = args.Skip(1).ToArray();
    BenchmarkSwitcher.FromAssembly(typeof(BenchContext).Assembly).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
    return 0;
}

var repoRoot = BenchContext.RepoRootFrom(Environment.CurrentDirectory);
BenchOptions options;
List<string> commands;
var selected = new List<string>();
try
{
    (options, commands) = BenchOptions.Parse(args, repoRoot);
    foreach (var c in commands)
    {
        string[] add = c switch
        {
            "all" => everyScenario,
            "files" => fileScenarios,
            "http" => httpScenarios,
            "generate" => [],
            _ when everyScenario.Contains(c) => [c],
            _ => throw new ArgumentException($"unknown command '{c}'; run with --help for the commands"),
        };
        selected.AddRange(add.Where(a => !selected.Contains(a)));
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var loadBefore = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
var ctx = await BenchContext.CreateAsync(options, repoRoot);
if (commands.Contains("generate"))
{
    FileScenarios.OrdersCsv(ctx, options.Rows);
    FileScenarios.OrdersNdjson(ctx, options.JsonRows);
    JsonArrayScenario.Generate(ctx, options.JsonArrayMb);
    WideScenario.WideCsv(ctx);
    FileScenarios.OrdersCsv(ctx, options.MemoryRows);
    FileScenarios.OrdersCsv(ctx, options.MemoryRows * 10);
}

HttpTools? tools = null;
var results = new List<ScenarioResult>();
foreach (var scenario in everyScenario.Where(selected.Contains))
{
    if (scenario.StartsWith("http", StringComparison.Ordinal))
    {
        tools ??= await HttpTools.PrepareAsync(ctx);
    }
    results.Add(scenario switch
    {
        "csv-parquet" => await FileScenarios.CsvToParquetAsync(ctx),
        "ndjson-parquet" => await FileScenarios.NdjsonToParquetAsync(ctx),
        "csv-filter" => await FileScenarios.CsvFilterAsync(ctx),
        "json-array" => await JsonArrayScenario.RunAsync(ctx),
        WideScenario.Id => await WideScenario.RunAsync(ctx),
        SmallFilesScenario.Id => await SmallFilesScenario.RunAsync(ctx),
        "memory" => await FileScenarios.MemoryAsync(ctx),
        "partitions" => await PartitionScenarios.TwentyThousandPartitionsAsync(ctx),
        "http-latency" => await HttpScenarios.LatencyAsync(ctx, tools!),
        "http-throughput" => await HttpScenarios.ThroughputAsync(ctx, tools!),
        "http-adaptive" => await HttpAdaptiveScenarios.InFlightLimitAsync(ctx, tools!),
        "http-ratelimit" => await HttpAdaptiveScenarios.UndeclaredRateAsync(ctx, tools!),
        "http-healthy-adaptive" => await HttpAdaptiveScenarios.HealthyAsync(ctx, tools!),
        "http-bulk" => await HttpBulkScenario.RunAsync(ctx, tools!),
        _ => throw new InvalidOperationException(scenario),
    });
}
if (results.Count == 0)
{
    return 0;
}
var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
var markdown = ResultsReport.Render(results, ResultsReport.Machine(ctx, string.Join(' ', loadBefore), string.Join(' ', loadAfter)));
Console.WriteLine();
Console.WriteLine(markdown);
var written = ResultsReport.Write(options.Out, markdown, results);
BenchContext.Log($"results written to {written} (and latest.md)");
return 0;
