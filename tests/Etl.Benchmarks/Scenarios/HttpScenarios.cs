// The HTTP scenarios: the repo's sample API in its own process, fetched by the etl http source and by the aiohttp baseline.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Scenarios;

public static class HttpScenarios
{
    public const double LatencyFloorTarget = 1.10;
    public const double ThroughputRatioTarget = 2.0;
    public const double CpuMsPerRequestTarget = 0.15;
    public const double ValidateSecondsTarget = 0.35;
    public const string RecordPath = "data";
    public const string EndpointPath = "/orders/{id}";
    public const string NotAvailable = "http source not available in this build";

    private static readonly TimeSpan ServerStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Requests sent to the sample API before a timed client starts (see <see cref="WithServerAsync"/>).</summary>
    private const int WarmUpRequests = 3;

    /// <summary>How long the warmed sample API must use no CPU before a timed client starts, and how long to wait for that.</summary>
    private static readonly TimeSpan ServerQuiet = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ServerSettleTimeout = TimeSpan.FromSeconds(5);

    public static Task<ScenarioResult> LatencyAsync(BenchContext ctx, HttpTools tools)
    {
        var o = ctx.Options;
        var floor = Math.Ceiling(o.LatencyEndpoints / (double)o.Concurrency) * o.LatencyMs / 1000.0;
        return RunAsync(ctx, tools, "http-latency", $"HTTP {o.LatencyEndpoints:N0} endpoints × {o.LatencyMs} ms, concurrency {o.Concurrency}",
            o.LatencyEndpoints, o.LatencyMs, (etl, py) =>
            {
                var target = $"HTTP {o.LatencyEndpoints:N0} × {o.LatencyMs} ms: wall ≤ {LatencyFloorTarget} × the {floor:F1} s floor";
                if (!etl.Ok)
                {
                    return [new TargetCheck(target, "n/a", null)];
                }
                var wall = etl.Measurement!.Wall.TotalSeconds;
                var pyText = py.Ok ? $"; aiohttp {py.Measurement!.Wall.TotalSeconds:F2} s" : "";
                return [new TargetCheck(target, $"{wall / floor:F3}× ({wall:F2} s process wall{pyText})", wall <= LatencyFloorTarget * floor), ValidateCheck(etl)];
            });
    }

    public static Task<ScenarioResult> ThroughputAsync(BenchContext ctx, HttpTools tools)
    {
        var o = ctx.Options;
        return RunAsync(ctx, tools, "http-throughput", $"HTTP {o.HttpEndpoints:N0} endpoints, no latency, concurrency {o.Concurrency}",
            o.HttpEndpoints, 0, (etl, py) =>
            {
                var rps = $"HTTP {o.HttpEndpoints:N0} endpoints: requests/s ≥ {ThroughputRatioTarget} × aiohttp's";
                var cpu = $"HTTP {o.HttpEndpoints:N0} endpoints: ≤ {CpuMsPerRequestTarget} CPU-ms per request";
                var conns = $"HTTP {o.HttpEndpoints:N0} endpoints: TCP connections ≤ concurrency ({o.Concurrency})";
                if (!etl.Ok)
                {
                    return [new TargetCheck(rps, "n/a", null), new TargetCheck(cpu, "n/a", null), new TargetCheck(conns, "n/a", null)];
                }
                var checks = new List<TargetCheck>();
                if (py.Ok)
                {
                    var ratio = etl.Throughput!.Value / py.Throughput!.Value;
                    checks.Add(new TargetCheck(rps, $"{ratio:F2}× ({etl.Throughput:F0} vs {py.Throughput:F0} requests/s)", ratio >= ThroughputRatioTarget));
                }
                else
                {
                    checks.Add(new TargetCheck(rps, "n/a (baseline did not run)", null));
                }
                var ms = etl.Measurement!.Cpu.TotalMilliseconds / etl.Items;
                checks.Add(new TargetCheck(cpu, $"{ms:F3} ms", ms <= CpuMsPerRequestTarget));
                var connections = ConnectionsOf(etl);
                checks.Add(new TargetCheck(conns, connections?.ToString(CultureInfo.InvariantCulture) ?? "n/a", connections is null ? null : connections <= o.Concurrency));
                return checks;
            });
    }

    /// <summary>`etl validate` of the scenario's spec as a whole process: start-up, loading and checking the spec.</summary>
    private static TargetCheck ValidateCheck(RunnerResult etl)
    {
        var target = $"etl validate ≤ {ValidateSecondsTarget} s as a process";
        var note = etl.Notes.FirstOrDefault(n => n.StartsWith("etl validate ", StringComparison.Ordinal));
        return note is not null && double.TryParse(note["etl validate ".Length..].Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? new TargetCheck(target, $"{seconds:F2} s", seconds <= ValidateSecondsTarget)
            : new TargetCheck(target, "n/a", null);
    }

    private static int? ConnectionsOf(RunnerResult r) =>
        r.Notes.Select(n => n.EndsWith(" TCP connections", StringComparison.Ordinal) && int.TryParse(n.AsSpan(0, n.IndexOf(' ', StringComparison.Ordinal)), out var c) ? c : (int?)null)
            .FirstOrDefault(c => c is not null);

    private static async Task<ScenarioResult> RunAsync(BenchContext ctx, HttpTools tools, string id, string title, int endpoints, int latencyMs,
        Func<RunnerResult, RunnerResult, IReadOnlyList<TargetCheck>> targets)
    {
        RunnerResult Skip(string runner, string why) => new() { Runner = runner, Items = endpoints, Unit = "requests", Problem = why };
        var etlOut = Path.Combine(ctx.OutputFolder, id, "etl");
        string SpecFor(string baseUrl) => ctx.WriteSpec(id, new JsonObject
        {
            ["name"] = $"bench-{id}",
            ["description"] = "Benchmark: one GET per id against the sample API, records at $.data, to Parquet.",
            ["source"] = new JsonObject
            {
                ["type"] = "http",
                ["baseUrl"] = baseUrl,
                ["path"] = EndpointPath,
                ["values"] = new JsonObject { ["id"] = new JsonObject { ["from"] = 1, ["to"] = endpoints } },
                ["recordPath"] = RecordPath,
                ["concurrency"] = ctx.Options.Concurrency,
            },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = etlOut, ["compression"] = "snappy" }),
        });

        RunnerResult etl;
        RunnerResult py;
        if (tools.SampleApiDll is null)
        {
            etl = Skip("etl", tools.SampleApiProblem!);
            py = Skip("aiohttp", tools.SampleApiProblem!);
            return new ScenarioResult { Id = id, Title = title, Runs = [etl, py], Targets = targets(etl, py) };
        }

        // `etl validate` alone: the whole process's start-up and spec checks, as often as the run (median wall).
        var validateSpec = SpecFor("http://127.0.0.1:1");
        var validation = await ctx.RepeatAsync(() => ctx.RunEtlAsync(["validate", validateSpec]), m => m.ExitCode == 0 ? m.Wall : null);
        if (validation.ExitCode != 0)
        {
            BenchContext.Log($"{id}: etl validate refused the http spec: {FileScenarios.FirstLines(validation.Stderr, 2)}");
            etl = Skip("etl", NotAvailable);
        }
        else
        {
            // Startup cost of the CLI alone (load, spec validation), to tell it apart from per-request cost.
            var startup = validation.Cpu.TotalMilliseconds;
            var validateWall = validation.Wall.TotalSeconds;
            etl = await ctx.RepeatAsync(() => WithServerAsync(ctx, tools, latencyMs, endpoints, "etl", async (baseUrl, port) =>
            {
                var spec = SpecFor(baseUrl);
                ctx.FreshOutput(id, "etl");
                var summary = Path.Combine(ctx.OutputFolder, id, "summary.json");
                BenchContext.Log($"{id}: etl run against {baseUrl}");
                await using var counter = new TcpConnectionCounter(port);
                counter.Start();
                var m = await ctx.RunEtlAsync(["run", spec, "--progress", "none", "--quiet", "--summary-json", summary]);
                var connections = await counter.StopAsync();
                BenchContext.Log($"  {FileScenarios.Describe(m)}, {connections} TCP connections");
                var result = EtlResult(ctx, endpoints, m, summary, connections, startup, etlOut);
                return result with { Notes = [.. result.Notes, string.Create(CultureInfo.InvariantCulture, $"etl validate {validateWall:F2} s wall")] };
            }, warm: true), r => r.Ok ? r.Measurement!.Wall : null);
        }

        if (tools.Python is null)
        {
            py = Skip("aiohttp", tools.PythonProblem!);
        }
        else
        {
            py = await ctx.RepeatAsync(() => WithServerAsync(ctx, tools, latencyMs, endpoints, "aiohttp", async (baseUrl, port) =>
            {
                var output = ctx.FreshOutput(id, "aiohttp");
                BenchContext.Log($"{id}: aiohttp client against {baseUrl}");
                await using var counter = new TcpConnectionCounter(port);
                counter.Start();
                var m = await ProcessMeter.RunAsync(tools.Python, [tools.ClientScript, "--base-url", baseUrl, "--path", EndpointPath, "--from", "1",
                    "--to", endpoints.ToString(CultureInfo.InvariantCulture), "--concurrency", ctx.Options.Concurrency.ToString(CultureInfo.InvariantCulture),
                    "--record-path", RecordPath, "--out", Path.Combine(output, "records.jsonl")], ctx.RepoRoot);
                var connections = await counter.StopAsync();
                BenchContext.Log($"  {FileScenarios.Describe(m)}, {connections} TCP connections");
                ctx.DropOutput(output);
                return PythonResult(endpoints, m, connections);
            }, warm: true), r => r.Ok ? r.Measurement!.Wall : null);
        }
        return new ScenarioResult { Id = id, Title = title, Runs = [etl, py], Targets = targets(etl, py) };
    }

    private static RunnerResult EtlResult(BenchContext ctx, int endpoints, Measurement m, string summaryPath, int connections, double startupCpuMs, string output)
    {
        var notes = new List<string>();
        long? written = null;
        long requests = endpoints;
        string? problem = m.ExitCode == 0 ? null : $"exit code {m.ExitCode}: {FileScenarios.FirstLines(m.Stderr + m.Stdout)}";
        if (File.Exists(summaryPath))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(summaryPath));
            if (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0)
            {
                var run = doc.RootElement[0];
                written = run.TryGetProperty("written", out var w) ? w.GetInt64() : null;
                if (run.TryGetProperty("requests", out var r) && r.GetInt64() > 0)
                {
                    requests = r.GetInt64();
                }
                if (run.TryGetProperty("failedRequests", out var f) && f.GetInt64() > 0)
                {
                    notes.Add($"{f.GetInt64()} failed requests");
                }
                if (run.TryGetProperty("startedAt", out var s) && run.TryGetProperty("endedAt", out var e))
                {
                    var seconds = (e.GetDateTimeOffset() - s.GetDateTimeOffset()).TotalSeconds;
                    notes.Add(string.Create(CultureInfo.InvariantCulture, $"run {seconds:F2} s in-process ({requests / seconds:F0} requests/s)"));
                }
            }
        }
        notes.Insert(0, $"{connections} TCP connections");
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{m.Cpu.TotalMilliseconds / requests:F3} CPU-ms/request"));
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, m.Cpu.TotalMilliseconds - startupCpuMs) / requests:F3} without the {startupCpuMs:F0} ms CPU of `etl validate`"));
        ctx.DropOutput(output);
        return new RunnerResult { Runner = "etl", Items = requests, Unit = "requests", Measurement = m, OutputRows = written, Problem = problem, Notes = notes };
    }

    private static RunnerResult PythonResult(int endpoints, Measurement m, int connections)
    {
        var notes = new List<string> { $"{connections} TCP connections" };
        long? records = null;
        var requests = (long)endpoints;
        var last = m.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (last is not null && last.StartsWith('{'))
        {
            using var doc = JsonDocument.Parse(last);
            var root = doc.RootElement;
            records = root.GetProperty("records").GetInt64();
            requests = root.GetProperty("requests").GetInt64();
            var failed = root.GetProperty("failed").GetInt64();
            if (failed > 0)
            {
                notes.Add($"{failed} failed requests");
            }
            var seconds = root.GetProperty("seconds").GetDouble();
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"run {seconds:F2} s in-process ({requests / seconds:F0} requests/s)"));
        }
        notes.Add(string.Create(CultureInfo.InvariantCulture, $"{m.Cpu.TotalMilliseconds / Math.Max(1, requests):F3} CPU-ms/request"));
        var problem = m.ExitCode == 0 ? null : $"exit code {m.ExitCode}: {FileScenarios.FirstLines(m.Stderr + m.Stdout)}";
        return new RunnerResult { Runner = "aiohttp", Items = requests, Unit = "requests", Measurement = m, OutputRows = records, Problem = problem, Notes = notes };
    }

    /// <summary>Starts the sample API in its own process on a free port, runs <paramref name="client"/>, then stops the server.
    /// <paramref name="warm"/>: a few requests first, then a wait until the server uses no CPU, so the client is timed against a
    /// server that has compiled its own request path (a cold one answers its first requests late, for any client) and is
    /// not compiling it still.</summary>
    internal static async Task<RunnerResult> WithServerAsync(BenchContext ctx, HttpTools tools, int latencyMs, int orders, string runner, Func<string, int, Task<RunnerResult>> client,
        IReadOnlyList<string>? serverArgs = null, bool warm = false)
    {
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var info = new System.Diagnostics.ProcessStartInfo(BenchContext.Dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ctx.RepoRoot,
        };
        // --order-count: /orders/{id} answers 404 above the collection's size (1000 by default).
        foreach (var a in new[] { tools.SampleApiDll!, "--urls", baseUrl, "--latency-ms", latencyMs.ToString(CultureInfo.InvariantCulture), "--order-count", orders.ToString(CultureInfo.InvariantCulture) }.Concat(serverArgs ?? []))
        {
            info.ArgumentList.Add(a);
        }
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        using var server = System.Diagnostics.Process.Start(info)!;
        var serverErrors = new System.Text.StringBuilder();
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) =>
        {
            lock (serverErrors)
            {
                serverErrors.AppendLine(e.Data);
            }
        };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow + ServerStartTimeout;
            while (!await CanConnectAsync(port))
            {
                if (server.HasExited || DateTime.UtcNow > deadline)
                {
                    string errors;
                    lock (serverErrors)
                    {
                        errors = FileScenarios.FirstLines(serverErrors.ToString());
                    }
                    return new RunnerResult { Runner = runner, Items = 0, Unit = "requests", Problem = $"the sample API did not start: {errors}" };
                }
                await Task.Delay(100);
            }
            if (warm)
            {
                await WarmAsync(baseUrl);
                // Its first requests leave the server compiling its request path in the background for a while; a
                // client started meanwhile shares the cores with that (measured: 50 ms more wall and 0.1 s more CPU for
                // etl and aiohttp alike on 1,000 × 200 ms).
                if (!await ProcessIdle.WaitAsync(server.Id, ServerQuiet, ServerSettleTimeout))
                {
                    BenchContext.Log($"  the sample API was still using CPU {ServerSettleTimeout.TotalSeconds:F0} s after its warm-up requests");
                }
            }
            return await client(baseUrl, port);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
            await server.WaitForExitAsync();
        }
    }

    private static async Task WarmAsync(string baseUrl)
    {
        using var http = new HttpClient();
        for (var i = 1; i <= WarmUpRequests; i++)
        {
            using var response = await http.GetAsync(new Uri($"{baseUrl}/orders/{i}"));
            response.EnsureSuccessStatusCode();
        }
    }

    private static async Task<bool> CanConnectAsync(int port)
    {
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>What the HTTP scenarios need besides etl: the built sample API and a python3 with aiohttp; each with why it is missing.</summary>
public sealed record HttpTools(string? SampleApiDll, string? SampleApiProblem, string? Python, string? PythonProblem, string ClientScript)
{
    public const string SampleApiProject = "src/Etl.SampleApi";

    public static async Task<HttpTools> PrepareAsync(BenchContext ctx)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "baseline", "http_client.py");
        string? dll = null;
        string? apiProblem = null;
        var folder = Path.Combine(ctx.RepoRoot, SampleApiProject);
        var project = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.csproj").FirstOrDefault() : null;
        if (project is null)
        {
            apiProblem = $"sample API not available in this build ({SampleApiProject} is missing)";
        }
        else
        {
            var output = Path.Combine(ctx.BinFolder, "sampleapi");
            await BenchContext.BuildAsync(ctx.RepoRoot, project, output);
            // The app's dll is the one its runtimeconfig.json names.
            var config = Directory.GetFiles(output, "*.runtimeconfig.json").FirstOrDefault(f => !f.Contains("Etl.Cli", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("etl.", StringComparison.Ordinal));
            dll = config is null ? null : config[..^".runtimeconfig.json".Length] + ".dll";
            if (dll is null || !File.Exists(dll))
            {
                apiProblem = $"sample API built but no app dll found in {output}";
                dll = null;
            }
        }
        var (python, pythonProblem) = FindPython();
        return new HttpTools(dll, apiProblem, python, pythonProblem, script);
    }

    /// <summary>Debian's python3 with aiohttp; installs python3-aiohttp with apt-get when it is missing.</summary>
    private static (string? Python, string? Problem) FindPython()
    {
        string[] candidates = ["/usr/bin/python3", "python3"];
        foreach (var p in candidates)
        {
            if (BenchContext.Capture(p, "-c", "import aiohttp; print(aiohttp.__version__)") is not null)
            {
                return (p, null);
            }
        }
        if (File.Exists("/usr/bin/apt-get"))
        {
            BenchContext.Log("python3-aiohttp is missing: apt-get install -y python3-aiohttp");
            if (BenchContext.Capture("apt-get", "install", "-y", "-q", "python3-aiohttp") is null)
            {
                BenchContext.Capture("apt-get", "update", "-q");
                BenchContext.Capture("apt-get", "install", "-y", "-q", "python3-aiohttp");
            }
            if (BenchContext.Capture("/usr/bin/python3", "-c", "import aiohttp") is not null)
            {
                return ("/usr/bin/python3", null);
            }
        }
        return (null, "python3 with aiohttp not available (apt-get install -y python3-aiohttp failed)");
    }
}
