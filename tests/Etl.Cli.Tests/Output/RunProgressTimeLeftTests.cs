// Progress of a source whose size is known: throughput and time left in the plain line and on the live table's source row.
using Etl.Cli.Output;
using Etl.Runtime;
using Etl.Spec;
using Microsoft.Extensions.Time.Testing;
using Spectre.Console.Testing;

namespace Etl.Cli.Tests.Output;

public sealed class RunProgressTimeLeftTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly RunContext _run;
    private readonly StageCounters _source;
    private readonly RunProgress _display;

    public RunProgressTimeLeftTests()
    {
        var spec = SpecLoader.Parse("""{ "name": "orders", "source": { "type": "csv", "path": "in.csv" }, "sinks": [ { "type": "csv", "path": "out" } ] }""", "orders.json");
        _run = new RunContext { RunId = "r", Spec = spec, DeadLetters = new DeadLetterWriter(Path.GetTempPath(), "r", spec.Secrets) };
        _source = _run.Counters.AddStage("source (csv)", "Task");
        _display = new RunProgress("orders", _time);
        _display.Attach(_run);
    }

    public ValueTask DisposeAsync() => _run.DeadLetters.DisposeAsync();

    /// <summary>A quarter of the source read in ten seconds.</summary>
    private void QuarterDoneAfterTenSeconds(string unit, long total)
    {
        _run.Progress.Unit = unit;
        _run.Progress.Total = total;
        _time.Advance(TimeSpan.FromSeconds(10));
        _run.Progress.SetDone(total / 4);
        _source.CountOut(100_000);
    }

    [Fact]
    public void RunProgress_LineOfFilesHalfwayKnown_ShowsRowsAndBytesPerSecondAndTimeLeft()
    {
        QuarterDoneAfterTenSeconds("bytes", 40_000_000);

        Assert.Equal("orders: read 0 (10,000/s, 1.0 MB/s), filtered 0, failed 0, written 0 [25%, ETA 0:30], 10s", _display.Line());
    }

    [Fact]
    public void RunProgress_LineOfRequests_ShowsDoneOfPlannedInFlightRetriedAndGated()
    {
        QuarterDoneAfterTenSeconds("requests", 1_000);
        var c = _run.Counters;
        for (var i = 0; i < 300; i++)
        {
            c.CountRequest();
        }
        for (var i = 0; i < 50; i++)
        {
            c.RequestStarted();
        }
        c.CountRetry();
        c.GateWaitStarted();

        Assert.Equal("orders: read 0 (10,000/s), filtered 0, failed 0, written 0, requests 250/1,000 (25/s; sent 300, in flight 50, retried 1, waiting on Retry-After 1, failed 0) [25%, ETA 0:30], 10s", _display.Line());
    }

    [Fact]
    public void RunProgress_RenderOfFiles_ShowsThroughputAndTimeLeftOnTheSourceRow()
    {
        QuarterDoneAfterTenSeconds("bytes", 40_000_000);
        var console = new TestConsole().Width(200);

        console.Write(_display.Render());

        var row = Assert.Single(console.Output.Split('\n'), l => l.Contains("source (csv)", StringComparison.Ordinal));
        Assert.Contains("25% of 40.0 MB · 1.0 MB/s · ETA 0:30", row, StringComparison.Ordinal);
    }
}
