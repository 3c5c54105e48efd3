// Everything the scenarios share: options, paths of the built etl CLI and of this harness, and how to run them measured.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks;

public sealed class BenchContext
{
    private static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    private BenchContext(BenchOptions options, string repoRoot, string etl)
    {
        Options = options;
        RepoRoot = repoRoot;
        Etl = etl;
    }

    public BenchOptions Options { get; }

    public string RepoRoot { get; }

    /// <summary>The etl command as README tells users to install it: the tool package of src/Etl.Cli (self-contained
    /// composite ReadyToRun on linux-x64), installed for this run with `dotnet tool install --tool-path`.</summary>
    public string Etl { get; }

    /// <summary>What <see cref="Etl"/> is, for the results.</summary>
    public const string EtlDescription = "the etl tool package (`dotnet pack src/Etl.Cli`; on linux-x64 self-contained, one composite ReadyToRun image) installed with `dotnet tool install`";

    /// <summary>This harness, re-invoked as `dotnet Etl.Benchmarks.dll baseline-duckdb SQL` for the DuckDB side.</summary>
    public static string HarnessDll => typeof(BenchContext).Assembly.Location;

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public string DataFolder => Path.Combine(Options.Work, "data");

    public string SpecFolder => Path.Combine(Options.Work, "specs");

    public string OutputFolder => Path.Combine(Options.Work, "out");

    public string BinFolder => Path.Combine(Options.Work, "bin");

    /// <summary>Packs src/Etl.Cli as a .NET tool and installs it into the work folder, as README tells users to; returns the context.</summary>
    public static async Task<BenchContext> CreateAsync(BenchOptions options, string repoRoot)
    {
        var packages = Path.Combine(options.Work, "bin", "packages");
        var tool = Path.Combine(options.Work, "bin", "tool");
        foreach (var folder in new[] { packages, tool })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        Log($"packing src/Etl.Cli as a .NET tool → {packages}");
        await RunOrThrowAsync(repoRoot, ["pack", Path.Combine(repoRoot, "src", "Etl.Cli", "Etl.Cli.csproj"), "-c", "Release", "-o", packages, "--disable-build-servers", "-nologo", "-v", "q"]);
        // The outer package names the version; only this folder is a source, so no package of the same name elsewhere is taken.
        var outer = Directory.GetFiles(packages, "Etl.Cli.*.nupkg").Select(Path.GetFileName).Single(f => char.IsDigit(f!["Etl.Cli.".Length]))!;
        var version = outer["Etl.Cli.".Length..^".nupkg".Length];
        var config = Path.Combine(options.Work, "bin", "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="etl" value="{packages}" /></packageSources></configuration>
            """);
        Log($"installing the etl tool {version} → {tool}");
        await RunOrThrowAsync(repoRoot, ["tool", "install", "--tool-path", tool, "--configfile", config, "--version", version, "Etl.Cli"]);
        return new BenchContext(options, repoRoot, Path.Combine(tool, "etl"));
    }

    private static async Task RunOrThrowAsync(string repoRoot, IReadOnlyList<string> args)
    {
        var m = await ProcessMeter.RunAsync(Dotnet, args, repoRoot);
        if (m.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed:\n{m.Stdout}\n{m.Stderr}");
        }
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

    /// <summary>`etl args…` (the installed tool), measured.</summary>
    public Task<Measurement> RunEtlAsync(IReadOnlyList<string> args) =>
        ProcessMeter.RunAsync(Etl, args, RepoRoot);

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
