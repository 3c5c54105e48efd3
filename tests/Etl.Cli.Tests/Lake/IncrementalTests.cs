// End to end: incremental runs over growing input write each record once; the state advances only on commit.
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed class IncrementalTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static JsonObject Spec(string mode = "append", string? initial = "2026-01-01T00:00:00Z")
    {
        var spec = LakeSpecs.Orders(mode: mode);
        var incremental = new JsonObject { ["cursorField"] = "updated_at" };
        if (initial is not null)
        {
            incremental["initial"] = initial;
        }
        spec["source"]!["incremental"] = incremental;
        return spec;
    }

    private string StateLast() =>
        JsonDocument.Parse(File.ReadAllText(_folder.PathOf("lake/orders/_state.json"))).RootElement.GetProperty("last").GetString()!;

    [Fact]
    public async Task Incremental_TwoRunsOverGrowingInput_WriteEachRecordOnce()
    {
        _folder.Save(Spec());
        _folder.WriteOrders("in/orders.csv", 0, 1000);
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        _folder.WriteOrders("in/orders.csv", 0, 1500);

        var second = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, second.ExitCode);
        Assert.Contains("read 1500, filtered 1000, failed 0, written 500", second.Stdout, StringComparison.Ordinal);
        // Order 0 sits exactly on the initial cursor: skipped like every record at or below it.
        Assert.Equal("1499|1499|1|1499", DuckDb.Strings($"SELECT count(*), count(DISTINCT id), min(id), max(id) FROM {_folder.Committed(LakeSpecs.Sink)}")[0]);
    }

    [Fact]
    public async Task Incremental_Initial_SkipsRecordsAtOrBelowIt()
    {
        // Order id n is updated n minutes after 2026-01-01T00:00:00Z: ids 0..10 are at or below the initial cursor.
        _folder.Save(Spec(initial: "2026-01-01T00:10:00Z"));
        _folder.WriteOrders("in/orders.csv", 0, 100);

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Equal("89|11", DuckDb.Strings($"SELECT count(*), min(id) FROM {_folder.Committed(LakeSpecs.Sink)}")[0]);
    }

    [Fact]
    public async Task Incremental_Commit_StoresTheHighestCursorWritten()
    {
        _folder.Save(Spec());
        _folder.WriteOrders("in/orders.csv", 0, 100);

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Equal("2026-01-01T01:39:00Z", StateLast());
    }

    [Fact]
    public async Task Incremental_FailedRun_DoesNotAdvanceTheState()
    {
        _folder.Save(Spec());
        _folder.WriteOrders("in/orders.csv", 0, 100);
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        _folder.Write("in/orders.csv", File.ReadAllText(_folder.PathOf("in/orders.csv")) + "500,FR,not-a-number,2026-03-01T00:00:00Z\n");

        var failed = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(3, failed.ExitCode);
        Assert.Equal("2026-01-01T01:39:00Z", StateLast());
    }

    [Fact]
    public async Task Incremental_FullRefresh_ReadsFromTheInitialCursorAgain()
    {
        _folder.Save(Spec(mode: "overwrite"));
        _folder.WriteOrders("in/orders.csv", 0, 100);
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        Assert.Equal(0, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));

        var refresh = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json", "--full-refresh");

        Assert.Equal(0, refresh.ExitCode);
        Assert.Equal(99, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));
    }

    [Fact]
    public async Task Incremental_LastPlaceholder_IsFilledInTheSourceSpecFromTheState()
    {
        // A numeric cursor names the next input file, as an HTTP source would put it in a query.
        var spec = LakeSpecs.Orders(input: "in/after-${incremental.last}.csv", mode: "append");
        spec["source"]!["incremental"] = new JsonObject { ["cursorField"] = "id", ["initial"] = "-1" };
        _folder.Save(spec);
        _folder.WriteOrders("in/after--1.csv", 0, 10);
        _folder.WriteOrders("in/after-9.csv", 10, 25);
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        var second = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal("25|24", DuckDb.Strings($"SELECT count(DISTINCT id), max(id) FROM {_folder.Committed(LakeSpecs.Sink)}")[0]);
        Assert.Equal("24", StateLast());
    }
}
