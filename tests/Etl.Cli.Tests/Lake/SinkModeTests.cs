// End to end: overwrite, append and errorIfExists through the real etl, read back with DuckDB.
namespace Etl.Cli.Tests.Lake;

public sealed class SinkModeTests : IDisposable
{
    private readonly LakeWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    [Fact]
    public void Overwrite_RunTwiceOnSameInput_ConvergesToOneCopyOfTheRows()
    {
        _ws.WriteOrders("in/orders.csv", 0, 2500);
        _ws.Save(LakeSpecs.Orders(maxRowsPerFile: 1000));

        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);
        var first = LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink));
        var second = _ws.Run("run", "orders.json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first, LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink)));
        Assert.Equal(2500, LakeWorkspace.Count(_ws.Visible(LakeSpecs.Sink)));
        Assert.Equal(_ws.ManifestFiles(LakeSpecs.Sink), _ws.VisibleFiles(LakeSpecs.Sink));
    }

    [Fact]
    public void Overwrite_SecondRunWithOtherInput_ReplacesThePreviousFiles()
    {
        _ws.WriteOrders("in/orders.csv", 0, 100);
        _ws.Save(LakeSpecs.Orders());
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);
        var before = _ws.VisibleFiles(LakeSpecs.Sink);

        _ws.WriteOrders("in/orders.csv", 1000, 1050);
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);

        Assert.Empty(_ws.VisibleFiles(LakeSpecs.Sink).Intersect(before));
        Assert.Equal("1000|1049|50", LakeWorkspace.Strings($"SELECT min(id), max(id), count(*) FROM {_ws.Visible(LakeSpecs.Sink)}")[0]);
    }

    [Fact]
    public void OverwritePartitioned_SecondRunWritesOneCountry_ReplacesOnlyThatPartition()
    {
        _ws.WriteOrders("in/orders.csv", 0, 300);
        _ws.Save(LakeSpecs.Orders(partitionBy: ["country"]));
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);

        // Ids 1000..1299 where id % 3 == 0 are FR only.
        var fr = string.Join('\n', new[] { "id,country,amount,updated_at" }.Concat(
            Enumerable.Range(0, 10).Select(i => $"{5000 + i},FR,1.00,2026-02-01T00:00:00Z"))) + "\n";
        _ws.Write("in/orders.csv", fr);
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);

        var counts = LakeWorkspace.Strings($"SELECT country, count(*), min(id) FROM {_ws.Visible(LakeSpecs.Sink)} GROUP BY country ORDER BY country");
        Assert.Equal(["DE|100|1", "FR|10|5000", "US|100|2"], counts);
        Assert.Equal(_ws.ManifestFiles(LakeSpecs.Sink), _ws.VisibleFiles(LakeSpecs.Sink));
    }

    [Fact]
    public void OverwritePartitioned_RunTwiceOnSameInput_ConvergesToSameRows()
    {
        _ws.WriteOrders("in/orders.csv", 0, 3000);
        _ws.Save(LakeSpecs.Orders(partitionBy: ["country"], maxRowsPerFile: 400));
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);
        var first = LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink));

        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);

        Assert.Equal(3000, first.Count);
        Assert.Equal(first, LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink)));
    }

    [Fact]
    public void Append_SecondRun_AddsItsRowsToThePreviousOnes()
    {
        _ws.WriteOrders("in/orders.csv", 0, 100);
        _ws.Save(LakeSpecs.Orders(mode: "append"));
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);
        _ws.WriteOrders("in/orders.csv", 100, 150);

        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);

        Assert.Equal("0|149|150", LakeWorkspace.Strings($"SELECT min(id), max(id), count(DISTINCT id) FROM {_ws.Committed(LakeSpecs.Sink)}")[0]);
        Assert.Equal(2, _ws.ManifestFiles(LakeSpecs.Sink).Count);
        Assert.Equal(_ws.ManifestFiles(LakeSpecs.Sink), _ws.VisibleFiles(LakeSpecs.Sink));
    }

    [Fact]
    public void ErrorIfExists_SinkHoldsData_FailsBeforeAnyWork()
    {
        _ws.WriteOrders("in/orders.csv", 0, 100);
        _ws.Save(LakeSpecs.Orders(mode: "errorIfExists"));
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);
        var before = _ws.VisibleFiles(LakeSpecs.Sink);

        var second = _ws.Run("run", "orders.json");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already holds data and its mode is errorIfExists", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("read 0,", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, _ws.VisibleFiles(LakeSpecs.Sink));
        Assert.False(Directory.Exists(_ws.P("lake/orders/_tmp")));
    }

    [Fact]
    public void ErrorIfExists_EmptySink_Writes()
    {
        _ws.WriteOrders("in/orders.csv", 0, 100);
        _ws.Save(LakeSpecs.Orders(mode: "errorIfExists"));

        var result = _ws.Run("run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(100, LakeWorkspace.Count(_ws.Committed(LakeSpecs.Sink)));
    }
}
