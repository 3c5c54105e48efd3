// etl run: exit codes, summary line, --summary-json, --quiet, --log-format json, usage errors.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(string sinkFolder)
    {
        var path = _folder.PathOf("customers.json");
        File.WriteAllText(path, $$"""
            { "name": "customers",
              "source": { "type": "json", "path": "{{Path.Combine(Repo.Root, "data/samples/customers.json")}}", "recordPath": "data" },
              "sinks": [ { "type": "parquet", "path": "{{sinkFolder}}" } ] }
            """);
        return path;
    }

    [Fact]
    public async Task Run_PrintsOneSummaryLinePerSpecOnStdout()
    {
        var result = await EtlCli.RunAsync("run", Spec(_folder.PathOf("out")), "--progress", "none");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^customers: succeeded — read 53, filtered 0, failed 0, written 53, files 1, \d+\.\ds\r?\n$", result.Stdout);
    }

    [Fact]
    public async Task Run_SummaryJson_WritesCountsAndFiles()
    {
        var summary = _folder.PathOf("summary.json");

        var result = await EtlCli.RunAsync("run", Spec(_folder.PathOf("out")), "--progress", "none", "--summary-json", summary);

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
        var result = await EtlCli.RunAsync("run", Spec(_folder.PathOf("out")), "--no-such-flag");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-flag", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingInput_FailsWithExitCode1AndNamesThePattern()
    {
        var spec = _folder.PathOf("missing.json");
        File.WriteAllText(spec, $$"""{ "name": "m", "source": { "type": "csv", "path": "{{_folder.Root}}/nothing*.csv" }, "sinks": [ { "type": "csv", "path": "{{_folder.Root}}/out" } ] }""");

        var result = await EtlCli.RunAsync("run", spec, "--progress", "none");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no input file matches '{_folder.Root}/nothing*.csv'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task Run_FailingProcess_PrintsItsErrorOnce(string logFormat)
    {
        var spec = _folder.PathOf("failing.json");
        File.WriteAllText(_folder.PathOf("in.csv"), "id\nnot-a-number\n");
        File.WriteAllText(spec, $$"""{ "name": "f", "source": { "type": "csv", "path": "in.csv" }, "schema": { "id": "int64" }, "sinks": [ { "type": "csv", "path": "out" } ] }""");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", spec, "--progress", "none", "--log-format", logFormat);

        Assert.Equal(3, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n'), l => l.Contains("more than errors.maxFailedRecords (0)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_LiveProgressWithJsonLogs_IsAUsageErrorWithExitCode2()
    {
        var result = await EtlCli.RunAsync("run", Spec(_folder.PathOf("out")), "--progress", "live", "--log-format", "json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("with --log-format json use --progress plain", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.PathOf("out")));
    }

    [Fact]
    public async Task Help_DocumentsTheExitCodes()
    {
        var result = await EtlCli.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3 more failed records or requests than allowed (nothing committed); 4 a concurrent run committed first and this run conflicts with it (an overwrite of the same data; nothing committed); 5 (etl commit) a shard is missing or failed, nothing committed; 130 cancelled", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QuietProcess_PrintsOnlyTheSummary()
    {
        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", Spec(_folder.PathOf("out")), "--quiet");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        Assert.StartsWith("customers: succeeded", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LogFormatJson_WritesOneJsonObjectPerLineToStderr()
    {
        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", Spec(_folder.PathOf("out")), "--log-format", "json", "--progress", "plain");

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
