// The live progress display: one row per stage with counts, rendered on Spectre.Console's test console.
using Etl.Cli.Output;
using Etl.Runtime;
using Etl.Spec;
using Spectre.Console.Testing;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Commands;

public sealed class RunProgressTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<(RunProgress Display, RunResult Result)> RunAsync()
    {
        var spec = SpecLoader.Parse($$"""
            { "name": "customers",
              "source": { "type": "json", "path": "{{Path.Combine(Repo.Root, "data/samples/customers.json")}}", "recordPath": "data" },
              "transforms": [ { "type": "filter", "where": "vip" } ],
              "sinks": [ { "type": "csv", "path": "{{_folder.Root}}/out" } ] }
            """, "customers.json");
        var display = new RunProgress("customers", TimeProvider.System);
        var result = await new PipelineRunner(new RunOptions { OnStart = display.Attach }).RunAsync(spec, CancellationToken.None);
        return (display, result);
    }

    [Fact]
    public async Task RunProgress_AfterARun_ShowsEveryStageWithItsCounts()
    {
        var (display, result) = await RunAsync();
        var console = new TestConsole().Width(200);

        console.Write(display.Render());

        Assert.Equal(RunStatus.Succeeded, result.Status);
        var lines = console.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("source (json)", StringComparison.Ordinal) && l.Contains("53", StringComparison.Ordinal) && l.Contains("100%", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("transforms[0] (filter)", StringComparison.Ordinal) && l.Contains($"{result.Written}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("sinks[0] (csv", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunProgress_Line_SummarisesCountsForLogs()
    {
        var (display, result) = await RunAsync();

        var line = display.Line();

        Assert.StartsWith($"customers: read 53 (", line, StringComparison.Ordinal);
        Assert.Contains($"filtered {result.Filtered}, failed 0, written {result.Written} [100%]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SummaryTable_ShowsOneRowPerSpec()
    {
        var (_, result) = await RunAsync();
        var console = new TestConsole().Width(200);

        console.Write(SummaryTable.Render([result]));

        Assert.Contains(console.Output.Split('\n'), l => l.Contains("customers", StringComparison.Ordinal) && l.Contains("succeeded", StringComparison.Ordinal) && l.Contains("53", StringComparison.Ordinal));
    }
}
