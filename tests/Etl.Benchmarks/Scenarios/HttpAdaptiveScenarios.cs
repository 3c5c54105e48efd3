// The adaptive-concurrency scenarios: a server that refuses above 10 in flight, an undeclared rate limit, and a healthy API, each run by etl.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Etl.Benchmarks.Scenarios;

public static class HttpAdaptiveScenarios
{
    public const int ServerInFlightLimit = 10;
    public const int InFlightEndpoints = 1000;
    public const int InFlightLatencyMs = 100;
    public const double InFlightFloorFactor = 1.5;
    public const int RateLimitPerSecond = 200;
    public const int RateLimitEndpoints = 2000;
    public const int RateLimitLatencyMs = 20;
    public const double RateLimitFloorFactor = 1.2;
    public const double RejectedShareTarget = 0.05;
    public const double HealthySlowdownTarget = 1.05;

    /// <summary>1000 × 100 ms against 429 + Retry-After: 1 above 10 in flight; etl adaptive, and etl told the limit (concurrency 10).</summary>
    public static async Task<ScenarioResult> InFlightLimitAsync(BenchContext ctx, HttpTools tools)
    {
        const string id = "http-adaptive";
        var floor = InFlightEndpoints / (double)ServerInFlightLimit * InFlightLatencyMs / 1000.0;
        string[] server = ["--max-in-flight", $"{ServerInFlightLimit}", "--retry-after", "1"];
        var adaptive = await RunAsync(ctx, tools, id, "etl adaptive", InFlightEndpoints, InFlightLatencyMs, ctx.Options.Concurrency, true, server);
        var told = await RunAsync(ctx, tools, id, "etl told (10)", InFlightEndpoints, InFlightLatencyMs, ServerInFlightLimit, false, server);
        return new ScenarioResult
        {
            Id = id,
            Title = $"HTTP {InFlightEndpoints:N0} × {InFlightLatencyMs} ms, 429 + Retry-After: 1 above {ServerInFlightLimit} in flight, concurrency {ctx.Options.Concurrency} adaptive",
            Runs = [adaptive.Runner, told.Runner],
            Targets = Checks(adaptive, InFlightEndpoints, floor, InFlightFloorFactor, "in-flight limit"),
        };
    }

    /// <summary>2000 requests against an undeclared token bucket of 200 requests/s (429 + Retry-After, no RateLimit headers).</summary>
    public static async Task<ScenarioResult> UndeclaredRateAsync(BenchContext ctx, HttpTools tools)
    {
        const string id = "http-ratelimit";
        var floor = RateLimitEndpoints / (double)RateLimitPerSecond;
        string[] server = ["--rate", $"{RateLimitPerSecond}", "--retry-after", "1"];
        var adaptive = await RunAsync(ctx, tools, id, "etl adaptive", RateLimitEndpoints, RateLimitLatencyMs, ctx.Options.Concurrency, true, server);
        return new ScenarioResult
        {
            Id = id,
            Title = $"HTTP {RateLimitEndpoints:N0} × {RateLimitLatencyMs} ms, undeclared limit of {RateLimitPerSecond} requests/s, concurrency {ctx.Options.Concurrency} adaptive",
            Runs = [adaptive.Runner],
            Targets = Checks(adaptive, RateLimitEndpoints, floor, RateLimitFloorFactor, "undeclared rate limit"),
        };
    }

    /// <summary>The latency scenario's healthy API, with and without adaptive concurrency: adaptivity must not slow it.</summary>
    public static async Task<ScenarioResult> HealthyAsync(BenchContext ctx, HttpTools tools)
    {
        const string id = "http-healthy-adaptive";
        var o = ctx.Options;
        // Alternating pairs, --repeat of them, each side's median: one pair differs by a few percent from run to run.
        var adaptiveRuns = new List<Outcome>();
        var fixedRuns = new List<Outcome>();
        for (var i = 0; i < o.Repeat; i++)
        {
            adaptiveRuns.Add(await RunAsync(ctx, tools, id, "etl adaptive", o.LatencyEndpoints, o.LatencyMs, o.Concurrency, true, []));
            fixedRuns.Add(await RunAsync(ctx, tools, id, "etl fixed", o.LatencyEndpoints, o.LatencyMs, o.Concurrency, false, []));
        }
        var (adaptive, fixedRun) = (Median(adaptiveRuns), Median(fixedRuns));
        var target = $"healthy API: adaptive run ≤ {HealthySlowdownTarget} × the fixed-concurrency run";
        var check = adaptive.Seconds is { } a && fixedRun.Seconds is { } f
            ? new TargetCheck(target, string.Create(CultureInfo.InvariantCulture, $"{a / f:F3}× ({a:F2} s vs {f:F2} s in-process)"), a <= HealthySlowdownTarget * f)
            : new TargetCheck(target, "n/a", null);
        return new ScenarioResult
        {
            Id = id,
            Title = $"HTTP {o.LatencyEndpoints:N0} × {o.LatencyMs} ms, no limit, concurrency {o.Concurrency}: adaptive vs fixed",
            Runs = [adaptive.Runner, fixedRun.Runner],
            Targets = [check],
        };
    }

    private static IReadOnlyList<TargetCheck> Checks(Outcome run, int endpoints, double floor, double factor, string what)
    {
        var time = $"{what}: run ≤ {factor} × the {floor:F1} s floor";
        var rejected = $"{what}: < {RejectedShareTarget:P0} of requests rejected, nothing lost";
        if (run.Seconds is not { } seconds || run.Requests is not { } requests)
        {
            return [new TargetCheck(time, "n/a", null), new TargetCheck(rejected, "n/a", null)];
        }
        // Every retry in these scenarios answers a 429: the server has no other fault.
        var share = run.Retries / (double)requests;
        return
        [
            new TargetCheck(time, string.Create(CultureInfo.InvariantCulture, $"{seconds / floor:F2}× ({seconds:F2} s in-process)"), seconds <= factor * floor),
            new TargetCheck(rejected, string.Create(CultureInfo.InvariantCulture, $"{share:P1} ({run.Retries} of {requests}); written {run.Written} of {endpoints}"),
                share < RejectedShareTarget && run.Written == endpoints),
        ];
    }

    /// <summary>The run of median in-process time; the first run when none has one (all failed).</summary>
    private static Outcome Median(List<Outcome> runs)
    {
        var timed = runs.Where(r => r.Seconds is not null).OrderBy(r => r.Seconds).ToList();
        return timed.Count > 0 ? timed[(timed.Count - 1) / 2] : runs[0];
    }

    private sealed record Outcome(RunnerResult Runner, double? Seconds, long? Requests, long Retries, long? Written);

    private static async Task<Outcome> RunAsync(BenchContext ctx, HttpTools tools, string id, string runner, int endpoints, int latencyMs,
        int concurrency, bool adaptive, IReadOnlyList<string> serverArgs)
    {
        if (tools.SampleApiDll is null)
        {
            return new Outcome(new RunnerResult { Runner = runner, Items = endpoints, Unit = "requests", Problem = tools.SampleApiProblem }, null, null, 0, null);
        }
        Outcome? outcome = null;
        var output = Path.Combine(ctx.OutputFolder, id, adaptive ? "adaptive" : "fixed");
        await HttpScenarios.WithServerAsync(ctx, tools, latencyMs, endpoints, runner, async (baseUrl, _) =>
        {
            var spec = ctx.WriteSpec($"{id}-{(adaptive ? "adaptive" : "fixed")}", new JsonObject
            {
                ["name"] = $"bench-{id}",
                ["source"] = new JsonObject
                {
                    ["type"] = "http",
                    ["baseUrl"] = baseUrl,
                    ["path"] = HttpScenarios.EndpointPath,
                    ["values"] = new JsonObject { ["id"] = new JsonObject { ["from"] = 1, ["to"] = endpoints } },
                    ["recordPath"] = HttpScenarios.RecordPath,
                    ["concurrency"] = concurrency,
                    ["adaptiveConcurrency"] = adaptive,
                    ["retry"] = new JsonObject { ["maxAttempts"] = 10 },
                },
                ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = output }),
            });
            var summary = Path.Combine(ctx.OutputFolder, id, "summary.json");
            BenchContext.Log($"{id}: {runner} against {baseUrl}");
            var m = await ctx.RunEtlAsync(["run", spec, "--progress", "none", "--quiet", "--summary-json", summary]);
            outcome = Read(runner, endpoints, m, summary);
            BenchContext.Log($"  {FileScenarios.Describe(m)}, {outcome.Retries} retries");
            ctx.DropOutput(output);
            return outcome.Runner;
        }, serverArgs);
        return outcome ?? new Outcome(new RunnerResult { Runner = runner, Items = endpoints, Unit = "requests", Problem = "the sample API did not start" }, null, null, 0, null);
    }

    private static Outcome Read(string runner, int endpoints, Measure.Measurement m, string summaryPath)
    {
        var problem = m.ExitCode == 0 ? null : $"exit code {m.ExitCode}: {FileScenarios.FirstLines(m.Stderr + m.Stdout)}";
        if (!File.Exists(summaryPath))
        {
            return new Outcome(new RunnerResult { Runner = runner, Items = endpoints, Unit = "requests", Measurement = m, Problem = problem ?? "no summary" }, null, null, 0, null);
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(summaryPath));
        var run = doc.RootElement[0];
        var seconds = (run.GetProperty("endedAt").GetDateTimeOffset() - run.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
        var requests = run.GetProperty("requests").GetInt64();
        var retries = run.GetProperty("retries").GetInt64();
        var written = run.GetProperty("written").GetInt64();
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"run {seconds:F2} s in-process"),
            $"{requests} requests, {retries} retried (429)",
        };
        return new Outcome(new RunnerResult
        {
            Runner = runner,
            Items = requests,
            Unit = "requests",
            Measurement = m,
            OutputRows = written,
            Problem = problem,
            Notes = notes,
        }, seconds, requests, retries, written);
    }
}
