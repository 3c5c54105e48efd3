// The bulk-export scenario: one response of a million records (about 80 MB) from the sample API's /export, by etl and by aiohttp.
using System.Globalization;
using System.Text.Json.Nodes;
using Etl.Benchmarks.Baseline;
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Scenarios;

public static class HttpBulkScenario
{
    public const int Records = 1_000_000;
    public const double PeakRssTargetMb = 300;
    public const string Id = "http-bulk";
    private const string ExportPath = "/export";

    public static async Task<ScenarioResult> RunAsync(BenchContext ctx, HttpTools tools)
    {
        var title = $"HTTP one response of {Records:N0} records (≈80 MB) at recordPath, to Parquet";
        var target = $"HTTP one {Records:N0}-record response: etl peak RSS ≤ {PeakRssTargetMb} MB";
        if (tools.SampleApiDll is null)
        {
            RunnerResult Skip(string runner) => new() { Runner = runner, Items = Records, Unit = "rows", Problem = tools.SampleApiProblem };
            return new ScenarioResult { Id = Id, Title = title, Runs = [Skip("etl"), Skip("aiohttp")], Targets = [new TargetCheck(target, "n/a", null)] };
        }
        var etl = await ctx.RepeatAsync(() => HttpScenarios.WithServerAsync(ctx, tools, 0, 1, "etl", (baseUrl, _) => RunEtlAsync(ctx, baseUrl)),
            r => r.Ok ? r.Measurement!.Wall : null);
        var py = tools.Python is null
            ? new RunnerResult { Runner = "aiohttp", Items = Records, Unit = "rows", Problem = tools.PythonProblem }
            : await ctx.RepeatAsync(() => HttpScenarios.WithServerAsync(ctx, tools, 0, 1, "aiohttp", (baseUrl, _) => RunPythonAsync(ctx, tools, baseUrl)),
                r => r.Ok ? r.Measurement!.Wall : null);
        var check = etl.Ok
            ? new TargetCheck(target, string.Create(CultureInfo.InvariantCulture, $"{etl.Measurement!.PeakRssMb:F0} MB ({etl.Measurement.Wall.TotalSeconds:F2} s wall)"),
                etl.Measurement.PeakRssMb <= PeakRssTargetMb)
            : new TargetCheck(target, "n/a", null);
        return new ScenarioResult { Id = Id, Title = title, Runs = [etl, py], Targets = [check] };
    }

    private static async Task<RunnerResult> RunEtlAsync(BenchContext ctx, string baseUrl)
    {
        var output = ctx.FreshOutput(Id, "etl");
        var spec = ctx.WriteSpec(Id, new JsonObject
        {
            ["name"] = $"bench-{Id}",
            ["description"] = "Benchmark: one bulk-export response of a million records at $.data, to Parquet.",
            ["source"] = new JsonObject
            {
                ["type"] = "http",
                ["baseUrl"] = baseUrl,
                ["path"] = ExportPath,
                ["query"] = new JsonObject { ["count"] = Records.ToString(CultureInfo.InvariantCulture) },
                ["recordPath"] = HttpScenarios.RecordPath,
                ["timeoutSeconds"] = 600,
            },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = output, ["compression"] = "snappy" }),
        });
        BenchContext.Log($"{Id}: etl run against {baseUrl}");
        var m = await ctx.RunEtlAsync(["run", spec, "--progress", "none", "--quiet"]);
        BenchContext.Log($"  {FileScenarios.Describe(m)}");
        var rows = m.ExitCode == 0 ? DuckDbBaseline.CountParquet(output) : (long?)null;
        ctx.DropOutput(output);
        return new RunnerResult
        {
            Runner = "etl",
            Items = Records,
            Unit = "rows",
            Measurement = m,
            OutputRows = rows,
            Problem = m.ExitCode == 0 ? null : $"exit code {m.ExitCode}: {FileScenarios.FirstLines(m.Stderr + m.Stdout)}",
            Notes = ["records streamed from the socket; the body is checked on a scratch file before any record is handed on"],
        };
    }

    private static async Task<RunnerResult> RunPythonAsync(BenchContext ctx, HttpTools tools, string baseUrl)
    {
        var output = ctx.FreshOutput(Id, "aiohttp");
        BenchContext.Log($"{Id}: aiohttp client against {baseUrl}");
        // The client fetches path with {id} for each id: one id, and the placeholder lands in an ignored parameter.
        var m = await ProcessMeter.RunAsync(tools.Python!, [tools.ClientScript, "--base-url", baseUrl,
            "--path", $"{ExportPath}?count={Records}&_={{id}}", "--from", "1", "--to", "1", "--concurrency", "1", "--timeout", "600",
            "--record-path", HttpScenarios.RecordPath, "--out", Path.Combine(output, "records.jsonl")], ctx.RepoRoot);
        BenchContext.Log($"  {FileScenarios.Describe(m)}");
        ctx.DropOutput(output);
        return new RunnerResult
        {
            Runner = "aiohttp",
            Items = Records,
            Unit = "rows",
            Measurement = m,
            Problem = m.ExitCode == 0 ? null : $"exit code {m.ExitCode}: {FileScenarios.FirstLines(m.Stderr + m.Stdout)}",
            Notes = ["json.loads of the whole body, records to JSON lines"],
        };
    }
}
