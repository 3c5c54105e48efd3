// End to end: two runs on one sink folder never interleave; the second exits 4 naming the first.
using System.Diagnostics;
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed class SinkLockTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_WhileAnotherRunHoldsTheSink_ExitsFourNamingTheHolder()
    {
        _folder.WriteOrders("in/orders.csv", 0, 5000);
        _folder.Save(LakeSpecs.Orders());
        using var first = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "orders.json");

        var second = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");
        first.Resume();
        var firstResult = await first.ResultAsync();

        Assert.Equal(4, second.ExitCode);
        Assert.Contains("orders: locked", second.Stdout, StringComparison.Ordinal);
        Assert.Contains($"pid {first.Id} on {Environment.MachineName}", second.Stderr, StringComparison.Ordinal);
        Assert.Matches(@"is locked by run \d{8}T\d{6}Z-[0-9a-f]{8} \(pid \d+ on .+, started \d{4}-\d\d-\d\dT", second.Stderr);
        Assert.Equal(0, firstResult.ExitCode);
        Assert.Equal(5000, DuckDb.Count(_folder.Visible(LakeSpecs.Sink)));
    }

    [Fact]
    public async Task Run_WhileAnotherRunHoldsTheSink_LeavesTheHoldersStagingAlone()
    {
        _folder.WriteOrders("in/orders.csv", 0, 5000);
        _folder.Save(LakeSpecs.Orders());
        using var first = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "orders.json");
        var staged = Directory.GetFiles(_folder.PathOf("lake/orders/_tmp"), "*", SearchOption.AllDirectories);

        await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(staged, Directory.GetFiles(_folder.PathOf("lake/orders/_tmp"), "*", SearchOption.AllDirectories));
        first.Resume();
        await first.ResultAsync();
    }

    [Fact]
    public async Task Run_LockDetailsOfADeadProcess_TakesTheSinkOver()
    {
        _folder.WriteOrders("in/orders.csv", 0, 100);
        _folder.Save(LakeSpecs.Orders());
        int deadPid;
        using (var gone = Process.Start("true")!)
        {
            gone.WaitForExit();
            deadPid = gone.Id;
        }
        Directory.CreateDirectory(_folder.PathOf(LakeSpecs.Sink));
        File.WriteAllText(_folder.PathOf("lake/orders/_lock.json"), JsonSerializer.Serialize(new
        {
            runId = "20260101T000000Z-deadbeef",
            pid = deadPid,
            host = Environment.MachineName,
            startedAt = DateTimeOffset.UtcNow.AddHours(-1),
        }));

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(100, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));
        Assert.False(File.Exists(_folder.PathOf("lake/orders/_lock.json")));
    }

    [Fact]
    public async Task Run_AfterAKilledRun_TakesTheSinkOver()
    {
        _folder.WriteOrders("in/orders.csv", 0, 5000);
        _folder.Save(LakeSpecs.Orders());
        using (var killed = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "orders.json"))
        {
            killed.Kill9();
        }
        Assert.True(File.Exists(_folder.PathOf("lake/orders/_lock.json")));

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(5000, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));
    }
}
