// Everything the scenarios share: options, paths of the built etl CLI and of this harness, and how to run them measured.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks;

public sealed class BenchContext
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    private BenchContext(BenchOptions options, string repoRoot, string etlDll)
    {
        Options = options;
        RepoRoot = repoRoot;
        EtlDll = etlDll;
    }

    public BenchOptions Options { get; }

    public string RepoRoot { get; }

    /// <summary>The etl CLI built in Release for this run: `dotnet etl.dll run spec.json`.</summary>
    public string EtlDll { get; }

    /// <summary>This harness, re-invoked as `dotnet Etl.Benchmarks.dll baseline-duckdb SQL` for the DuckDB side.</summary>
    public static string HarnessDll => typeof(BenchContext).Assembly.Location;

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public string DataFolder => Path.Combine(Options.Work, "data");

    public string SpecFolder => Path.Combine(Options.Work, "specs");

    public string OutputFolder => Path.Combine(Options.Work, "out");

    public string BinFolder => Path.Combine(Options.Work, "bin");

    /// <summary>Builds src/Etl.Cli in Release into the work folder and returns the context.</summary>
    public static async Task<BenchContext> CreateAsync(BenchOptions options, string repoRoot)
    {
        var etlOut = Path.Combine(options.Work, "bin", "etl");
        await BuildAsync(repoRoot, Path.Combine(repoRoot, "src", "Etl.Cli", "Etl.Cli.csproj"), etlOut);
        return new BenchContext(options, repoRoot, Path.Combine(etlOut, "etl.dll"));
    }

    /// <summary>`dotnet build -c Release -o folder` without build servers, so no build process outlives the build.</summary>
    public static async Task BuildAsync(string repoRoot, string project, string output)
    {
        Log($"building {Path.GetRelativePath(repoRoot, project)} (Release) → {output}");
        var m = await ProcessMeter.RunAsync(Dotnet, ["build", project, "-c", "Release", "-o", output, "--disable-build-servers", "-nologo", "-v", "q"], repoRoot);
        if (m.ExitCode != 0)
        {
            throw new InvalidOperationException($"build of {project} failed:\n{m.Stdout}\n{m.Stderr}");
        }
    }

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>Writes a generated spec into the work folder and returns its path.</summary>
    public string WriteSpec(string name, JsonObject spec)
    {
        Directory.CreateDirectory(SpecFolder);
        var path = Path.Combine(SpecFolder, name + ".json");
        File.WriteAllText(path, spec.ToJsonString(Indented));
        return path;
    }

    /// <summary>A fresh, empty output folder for one run.</summary>
    public string FreshOutput(string scenario, string runner)
    {
        var path = Path.Combine(OutputFolder, scenario, runner);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        Directory.CreateDirectory(path);
        return path;
    }

    public void DropOutput(string path)
    {
        if (!Options.Keep && Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    /// <summary>`dotnet etl.dll args…`, measured.</summary>
    public Task<Measurement> RunEtlAsync(IReadOnlyList<string> args) =>
        ProcessMeter.RunAsync(Dotnet, [EtlDll, .. args], RepoRoot);

    /// <summary>`dotnet Etl.Benchmarks.dll baseline-duckdb SQL`, measured: DuckDB in its own process, default threads.</summary>
    public Task<Measurement> RunDuckDbAsync(string sql) =>
        ProcessMeter.RunAsync(Dotnet, [HarnessDll, "baseline-duckdb", sql], RepoRoot);

    /// <summary>Runs <paramref name="run"/> Options.Repeat times and keeps the run with the median wall time (failed runs sort last).</summary>
    public async Task<T> RepeatAsync<T>(Func<Task<T>> run, Func<T, TimeSpan?> wall)
    {
        var results = new List<T>();
        for (var i = 0; i < Options.Repeat; i++)
        {
            results.Add(await run());
        }
        var ordered = results.OrderBy(r => wall(r) ?? TimeSpan.MaxValue).ToList();
        return ordered[(ordered.Count - 1) / 2];
    }

    public static string RepoRootFrom(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Etl.sln above {start}: run from inside the repository");
    }

    /// <summary>Output of a short helper command (versions, git), or null when it cannot run.</summary>
    public static string? Capture(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }
            using var p = Process.Start(info)!;
            var text = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? text.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
