// Renders the scenario results as Markdown (machine, figures, Etl/baseline ratios, targets) and writes the results files.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Etl.Benchmarks.Scenarios;

namespace Etl.Benchmarks.Report;

public static class ResultsReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The machine and software the figures were measured on, as Markdown bullet lines.</summary>
    public static IReadOnlyList<string> Machine(BenchContext ctx, string loadBefore, string loadAfter)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } m
            ? Measure.ProcessMeter.ParseKb(m["MemTotal:".Length..]) : 0;
        var commit = BenchContext.Capture("git", "-C", ctx.RepoRoot, "rev-parse", "--short", "HEAD") ?? "?";
        var dirty = BenchContext.Capture("git", "-C", ctx.RepoRoot, "status", "--porcelain", "--untracked-files=no") is { Length: > 0 } ? " (with uncommitted changes)" : "";
        var python = BenchContext.Capture("/usr/bin/python3", "-c", "import sys, aiohttp; print(sys.version.split()[0], 'aiohttp', aiohttp.__version__)") ?? "not available";
        string duck;
        try
        {
            duck = Baseline.DuckDbBaseline.Version();
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            duck = "? " + e.Message;
        }
        var busy = new[] { loadBefore, loadAfter }.Any(l => double.TryParse(l.Split(' ')[0], Inv, out var v) && v > Environment.ProcessorCount)
            ? " — above the core count: other work competed for the CPUs, so wall times are stretched; the CPU ratios are the steadier figure"
            : "";
        var o = ctx.Options;
        return
        [
            $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; commit {commit}{dirty}",
            $"- Machine: {cpu}, {Environment.ProcessorCount} cores, {memKb / 1024.0 / 1024.0:F0} GiB RAM, {RuntimeInformation.OSDescription}; load average (1, 5, 15 min) {loadBefore} before the run, {loadAfter} after{busy}",
            $"- Software: {RuntimeInformation.FrameworkDescription} (etl: {BenchContext.EtlDescription}), DuckDB {duck} via DuckDB.NET (default threads), Python {python}",
            $"- Sizes: CSV {o.Rows:N0} orders, NDJSON {o.JsonRows:N0} orders, memory N = {o.MemoryRows:N0}, HTTP {o.LatencyEndpoints:N0} × {o.LatencyMs} ms and {o.HttpEndpoints:N0} × 0 ms at concurrency {o.Concurrency}; seed {o.Seed}; median of {o.Repeat} run(s)",
        ];
    }

    public static string Render(IReadOnlyList<ScenarioResult> results, IReadOnlyList<string> machine)
    {
        var sb = new StringBuilder();
        sb.AppendLine("## Results");
        sb.AppendLine();
        foreach (var line in machine)
        {
            sb.AppendLine(line);
        }
        sb.AppendLine();
        sb.AppendLine("Every figure is one process, started fresh: `etl run spec.json` for Etl (the installed tool's own command, start-up included), `dotnet Etl.Benchmarks.dll baseline-duckdb SQL` for DuckDB, `python3 http_client.py` for aiohttp. CPU = user + sys of the process and its children; peak RSS = VmHWM. The HTTP latency and throughput clients start once the sample API (a fresh process per run) has answered 3 requests and then used no CPU for 0.2 s, so neither is timed against its first-request compilation nor beside the compilation those requests leave running in the background.");
        sb.AppendLine();
        sb.AppendLine("| Scenario | Runner | Input | Wall s | CPU s | Peak RSS MB | Throughput | Output rows | Etl / baseline | Notes |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var scenario in results)
        {
            var first = true;
            foreach (var run in scenario.Runs)
            {
                var title = first ? scenario.Title : "";
                first = false;
                var input = $"{run.Items.ToString("N0", Inv)} {run.Unit}";
                if (run.Measurement is null)
                {
                    sb.AppendLine($"| {title} | {run.Runner} | {input} | – | – | – | – | – | – | skipped: {Escape(run.Problem ?? "did not run")} |");
                    continue;
                }
                var m = run.Measurement;
                var throughput = run.Throughput is { } t ? $"{t.ToString("N0", Inv)} {(run.Unit == "requests" ? "req" : run.Unit)}/s" : "–";
                var ratio = run.Runner.StartsWith("etl", StringComparison.Ordinal) ? RatioText(run, BaselineFor(scenario, run)) : "";
                var notes = string.Join("; ", run.Notes.Concat(run.Problem is null ? [] : [$"FAILED: {run.Problem}"]).Concat(MismatchNote(scenario, run)));
                sb.AppendLine(string.Create(Inv,
                    $"| {title} | {run.Runner} | {input} | {m.Wall.TotalSeconds:F2} | {m.Cpu.TotalSeconds:F2} | {m.PeakRssMb:F0} | {throughput} | {(run.OutputRows is { } r ? r.ToString("N0", Inv) : "–")} | {ratio} | {Escape(notes)} |"));
            }
        }
        sb.AppendLine();
        sb.AppendLine("### Targets");
        sb.AppendLine();
        sb.AppendLine("| Target | Measured | Met |");
        sb.AppendLine("|---|---|---|");
        foreach (var check in results.SelectMany(r => r.Targets))
        {
            var met = check.Met switch { true => "yes", false => "**no**", null => "not measured" };
            sb.AppendLine($"| {Escape(check.Target)} | {Escape(check.Measured)} | {met} |");
        }
        return sb.ToString();
    }

    /// <summary>The baseline row an etl row is compared with: the next non-etl row of the same size in the scenario.</summary>
    private static RunnerResult? BaselineFor(ScenarioResult scenario, RunnerResult etl)
    {
        var runs = scenario.Runs.ToList();
        var at = runs.IndexOf(etl);
        return runs.Skip(at + 1).FirstOrDefault(r => !r.Runner.StartsWith("etl", StringComparison.Ordinal) && r.Items == etl.Items);
    }

    public static string RatioText(RunnerResult etl, RunnerResult? baseline)
    {
        if (baseline is null || !etl.Ok || !baseline.Ok)
        {
            return "–";
        }
        var (a, b) = (etl.Measurement!, baseline.Measurement!);
        return string.Create(Inv, $"wall {a.Wall / b.Wall:F2}×, CPU {a.Cpu / b.Cpu:F2}×, RSS {a.PeakRssBytes / (double)b.PeakRssBytes:F2}×");
    }

    private static IEnumerable<string> MismatchNote(ScenarioResult scenario, RunnerResult run)
    {
        if (!run.Runner.StartsWith("etl", StringComparison.Ordinal) || BaselineFor(scenario, run) is not { OutputRows: { } expected } || run.OutputRows is not { } actual || actual == expected)
        {
            yield break;
        }
        yield return $"output rows differ from the baseline's ({actual:N0} vs {expected:N0})";
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Writes results-&lt;time&gt;.md/.json and latest.md into the out folder; returns the Markdown path.</summary>
    public static string Write(string outFolder, string markdown, IReadOnlyList<ScenarioResult> results)
    {
        Directory.CreateDirectory(outFolder);
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", Inv);
        var md = Path.Combine(outFolder, $"results-{stamp}.md");
        File.WriteAllText(md, markdown);
        File.WriteAllText(Path.Combine(outFolder, "latest.md"), markdown);
        var json = results.Select(r => new
        {
            r.Id,
            r.Title,
            Runs = r.Runs.Select(x => new
            {
                x.Runner,
                x.Items,
                x.Unit,
                WallSeconds = x.Measurement?.Wall.TotalSeconds,
                CpuSeconds = x.Measurement?.Cpu.TotalSeconds,
                PeakRssBytes = x.Measurement?.PeakRssBytes,
                x.Measurement?.ExitCode,
                x.Measurement?.Command,
                x.Throughput,
                x.OutputRows,
                x.Problem,
                x.Notes,
            }),
            r.Targets,
        });
        File.WriteAllText(Path.Combine(outFolder, $"results-{stamp}.json"), JsonSerializer.Serialize(json, Indented));
        return md;
    }
}
