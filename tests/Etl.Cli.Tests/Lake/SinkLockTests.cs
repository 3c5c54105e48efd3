// End to end: two runs on one sink folder never interleave; the second exits 4 naming the first.
using System.Diagnostics;
using System.Text.Json;

namespace Etl.Cli.Tests.Lake;

public sealed class SinkLockTests : IDisposable
{
    private readonly LakeWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Run_WhileAnotherRunHoldsTheSink_ExitsFourNamingTheHolder()
    {
        _ws.WriteOrders("in/orders.csv", 0, 5000);
        _ws.Save(LakeSpecs.Orders());
        using var first = _ws.StartPausedAt("write", "run", "orders.json");

        var second = _ws.Run("run", "orders.json");
        File.WriteAllText(_ws.PauseFile, "go");
        first.WaitForExit();

        Assert.Equal(4, second.ExitCode);
        Assert.Contains("orders: locked", second.Stdout, StringComparison.Ordinal);
        Assert.Contains($"pid {first.Id} on {Environment.MachineName}", second.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"is locked by run \d{8}T\d{6}Z-[0-9a-f]{8} \(pid \d+ on .+, started \d{4}-\d\d-\d\dT", second.Stderr);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(5000, LakeWorkspace.Count(_ws.Visible(LakeSpecs.Sink)));
    }

    [Fact]
    public void Run_WhileAnotherRunHoldsTheSink_LeavesTheHoldersStagingAlone()
    {
        _ws.WriteOrders("in/orders.csv", 0, 5000);
        _ws.Save(LakeSpecs.Orders());
        using var first = _ws.StartPausedAt("write", "run", "orders.json");
        var staged = Directory.GetFiles(_ws.P("lake/orders/_tmp"), "*", SearchOption.AllDirectories);

        _ws.Run("run", "orders.json");

        Assert.Equal(staged, Directory.GetFiles(_ws.P("lake/orders/_tmp"), "*", SearchOption.AllDirectories));
        File.WriteAllText(_ws.PauseFile, "go");
        first.WaitForExit();
    }

    [Fact]
    public void Run_LockDetailsOfADeadProcess_TakesTheSinkOver()
    {
        _ws.WriteOrders("in/orders.csv", 0, 100);
        _ws.Save(LakeSpecs.Orders());
        int deadPid;
        using (var gone = Process.Start("true")!)
        {
            gone.WaitForExit();
            deadPid = gone.Id;
        }
        Directory.CreateDirectory(_ws.P(LakeSpecs.Sink));
        File.WriteAllText(_ws.P("lake/orders/_lock.json"), JsonSerializer.Serialize(new
        {
            runId = "20260101T000000Z-deadbeef",
            pid = deadPid,
            host = Environment.MachineName,
            startedAt = DateTimeOffset.UtcNow.AddHours(-1),
        }));

        var result = _ws.Run("run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(100, LakeWorkspace.Count(_ws.Committed(LakeSpecs.Sink)));
        Assert.False(File.Exists(_ws.P("lake/orders/_lock.json")));
    }

    [Fact]
    public void Run_AfterAKilledRun_TakesTheSinkOver()
    {
        _ws.WriteOrders("in/orders.csv", 0, 5000);
        _ws.Save(LakeSpecs.Orders());
        using (var killed = _ws.StartPausedAt("write", "run", "orders.json"))
        {
            LakeWorkspace.Kill9(killed);
        }
        Assert.True(File.Exists(_ws.P("lake/orders/_lock.json")));

        var result = _ws.Run("run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(5000, LakeWorkspace.Count(_ws.Committed(LakeSpecs.Sink)));
    }
}
