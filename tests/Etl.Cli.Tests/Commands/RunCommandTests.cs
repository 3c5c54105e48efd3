// etl run: exit codes, summary line, --summary-json, --quiet, --log-format json, usage errors.
using System.Text.Json;

namespace Etl.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("etl-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Spec(string sinkFolder)
    {
        var path = Path.Combine(_dir, "customers.json");
        File.WriteAllText(path, $$"""
            { "name": "customers",
              "source": { "type": "json", "path": "{{Path.Combine(CliRun.RepoRoot, "data/samples/customers.json")}}", "recordPath": "data" },
              "sinks": [ { "type": "parquet", "path": "{{sinkFolder}}" } ] }
            """);
        return path;
    }

    [Fact]
    public async Task Run_PrintsOneSummaryLinePerSpecOnStdout()
    {
        var result = await CliRun.InProcessAsync("run", Spec(Path.Combine(_dir, "out")), "--progress", "none");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^customers: succeeded — read 53, filtered 0, failed 0, written 53, files 1, \d+\.\ds\r?\n$", result.Stdout);
    }

    [Fact]
    public async Task Run_SummaryJson_WritesCountsAndFiles()
    {
        var summary = Path.Combine(_dir, "summary.json");

        var result = await CliRun.InProcessAsync("run", Spec(Path.Combine(_dir, "out")), "--progress", "none", "--summary-json", summary);

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(File.ReadAllText(summary));
        var run = doc.RootElement[0];
        Assert.Equal("succeeded", run.GetProperty("status").GetString());
        Assert.Equal(53, run.GetProperty("written").GetInt64());
        Assert.Equal(1, run.GetProperty("sinks")[0].GetProperty("files").GetArrayLength());
    }

    [Fact]
    public async Task Run_UnknownOption_IsAUsageErrorWithExitCode2()
    {
        var result = await CliRun.InProcessAsync("run", Spec(Path.Combine(_dir, "out")), "--no-such-flag");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-flag", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingInput_FailsWithExitCode1AndNamesThePattern()
    {
        var spec = Path.Combine(_dir, "missing.json");
        File.WriteAllText(spec, $$"""{ "name": "m", "source": { "type": "csv", "path": "{{_dir}}/nothing*.csv" }, "sinks": [ { "type": "csv", "path": "{{_dir}}/out" } ] }""");

        var result = await CliRun.InProcessAsync("run", spec, "--progress", "none");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no input file matches '{_dir}/nothing*.csv'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DocumentsTheExitCodes()
    {
        var result = await CliRun.InProcessAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3 more failed records or requests than allowed (nothing committed); 4 the sink folder is locked by another run; 130 cancelled", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QuietProcess_PrintsOnlyTheSummary()
    {
        var result = await CliRun.ProcessAsync(null, "run", Spec(Path.Combine(_dir, "out")), "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.StartsWith("customers: succeeded", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LogFormatJson_WritesOneJsonObjectPerLineToStderr()
    {
        var result = await CliRun.ProcessAsync(null, "run", Spec(Path.Combine(_dir, "out")), "--log-format", "json", "--progress", "plain");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.Equal("etl", doc.RootElement.GetProperty("Category").GetString());
        }
        Assert.Contains(lines, l => l.Contains("committed", StringComparison.Ordinal));
    }
}
