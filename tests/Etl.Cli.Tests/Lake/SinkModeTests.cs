// End to end: overwrite, append and errorIfExists through the real etl, read back with DuckDB.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed class SinkModeTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Overwrite_RunTwiceOnSameInput_ConvergesToOneCopyOfTheRows()
    {
        _folder.WriteOrders("in/orders.csv", 0, 2500);
        _folder.Save(LakeSpecs.Orders(maxRowsPerFile: 1000));

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        var first = LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink));
        var second = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(first, LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink)));
        Assert.Equal(2500, DuckDb.Count(_folder.Visible(LakeSpecs.Sink)));
        Assert.Equal(_folder.ManifestFiles(LakeSpecs.Sink), _folder.SinkFiles(LakeSpecs.Sink));
    }

    [Fact]
    public async Task Overwrite_SecondRunWithOtherInput_ReplacesThePreviousFiles()
    {
        _folder.WriteOrders("in/orders.csv", 0, 100);
        _folder.Save(LakeSpecs.Orders());
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        var before = _folder.SinkFiles(LakeSpecs.Sink);

        _folder.WriteOrders("in/orders.csv", 1000, 1050);
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Empty(_folder.SinkFiles(LakeSpecs.Sink).Intersect(before));
        Assert.Equal("1000|1049|50", DuckDb.Strings($"SELECT min(id), max(id), count(*) FROM {_folder.Visible(LakeSpecs.Sink)}")[0]);
    }

    [Fact]
    public async Task OverwritePartitioned_SecondRunWritesOneCountry_ReplacesOnlyThatPartition()
    {
        _folder.WriteOrders("in/orders.csv", 0, 300);
        _folder.Save(LakeSpecs.Orders(partitionBy: ["country"]));
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        // Ids 1000..1299 where id % 3 == 0 are FR only.
        var fr = string.Join('\n', new[] { "id,country,amount,updated_at" }.Concat(
            Enumerable.Range(0, 10).Select(i => $"{5000 + i},FR,1.00,2026-02-01T00:00:00Z"))) + "\n";
        _folder.Write("in/orders.csv", fr);
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        var counts = DuckDb.Strings($"SELECT country, count(*), min(id) FROM {_folder.Visible(LakeSpecs.Sink)} GROUP BY country ORDER BY country");
        Assert.Equal(["DE|100|1", "FR|10|5000", "US|100|2"], counts);
        Assert.Equal(_folder.ManifestFiles(LakeSpecs.Sink), _folder.SinkFiles(LakeSpecs.Sink));
    }

    [Fact]
    public async Task OverwritePartitioned_RunTwiceOnSameInput_ConvergesToSameRows()
    {
        _folder.WriteOrders("in/orders.csv", 0, 3000);
        _folder.Save(LakeSpecs.Orders(partitionBy: ["country"], maxRowsPerFile: 400));
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        var first = LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink));

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Equal(3000, first.Count);
        Assert.Equal(first, LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink)));
    }

    [Fact]
    public async Task Append_SecondRun_AddsItsRowsToThePreviousOnes()
    {
        _folder.WriteOrders("in/orders.csv", 0, 100);
        _folder.Save(LakeSpecs.Orders(mode: "append"));
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        _folder.WriteOrders("in/orders.csv", 100, 150);

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Equal("0|149|150", DuckDb.Strings($"SELECT min(id), max(id), count(DISTINCT id) FROM {_folder.Committed(LakeSpecs.Sink)}")[0]);
        Assert.Equal(2, _folder.ManifestFiles(LakeSpecs.Sink).Count);
        Assert.Equal(_folder.ManifestFiles(LakeSpecs.Sink), _folder.SinkFiles(LakeSpecs.Sink));
    }

    [Fact]
    public async Task ErrorIfExists_SinkHoldsData_FailsBeforeAnyWork()
    {
        _folder.WriteOrders("in/orders.csv", 0, 100);
        _folder.Save(LakeSpecs.Orders(mode: "errorIfExists"));
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        var before = _folder.SinkFiles(LakeSpecs.Sink);

        var second = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already holds data and its mode is errorIfExists", second.Stderr, StringComparison.Ordinal);
        Assert.Contains("read 0,", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, _folder.SinkFiles(LakeSpecs.Sink));
        Assert.False(Directory.Exists(_folder.PathOf("lake/orders/_tmp")));
    }

    [Fact]
    public async Task ErrorIfExists_EmptySink_Writes()
    {
        _folder.WriteOrders("in/orders.csv", 0, 100);
        _folder.Save(LakeSpecs.Orders(mode: "errorIfExists"));

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(100, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));
    }
}
