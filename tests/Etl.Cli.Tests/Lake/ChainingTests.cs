// End to end: a pipeline reads another's sink folder (committed files only, Hive columns restored); etl run a b stops at the first failure.
using System.Text.Json.Nodes;

namespace Etl.Cli.Tests.Lake;

public sealed class ChainingTests : IDisposable
{
    private readonly LakeWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private static JsonObject Reader(string type, string input, string sink, string name = "by_country") => new()
    {
        ["name"] = name,
        ["source"] = new JsonObject { ["type"] = type, ["path"] = input },
        ["transforms"] = new JsonArray(new JsonObject { ["type"] = "filter", ["where"] = "country == \"FR\"" }),
        ["sinks"] = new JsonArray(new JsonObject { ["type"] = "csv", ["path"] = sink }),
    };

    [Fact]
    public void RunTwoSpecs_ParquetSourceOnPartitionedSink_RestoresThePartitionColumn()
    {
        _ws.WriteOrders("in/orders.csv", 0, 300);
        _ws.Save(LakeSpecs.Orders(partitionBy: ["country"]), "a.json");
        _ws.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = _ws.Run("run", "a.json", "b.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("100|FR|0", LakeWorkspace.Strings($"SELECT count(*), min(country), min(id) FROM read_csv('{_ws.P("lake/fr")}/*.csv')")[0]);
    }

    [Fact]
    public void CsvSource_OnPartitionedCsvSink_RestoresThePartitionColumn()
    {
        _ws.WriteOrders("in/orders.csv", 0, 300);
        _ws.Save(LakeSpecs.Orders(partitionBy: ["country"], sinkType: "csv"), "a.json");
        _ws.Save(Reader("csv", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = _ws.Run("run", "a.json", "b.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("100|FR", LakeWorkspace.Strings($"SELECT count(*), min(country) FROM read_csv('{_ws.P("lake/fr")}/*.csv')")[0]);
    }

    [Fact]
    public void ParquetSource_OnSinkWithManifest_ReadsOnlyTheFilesItLists()
    {
        _ws.WriteOrders("in/orders.csv", 0, 300);
        _ws.Save(LakeSpecs.Orders(), "a.json");
        Assert.Equal(0, _ws.Run("run", "a.json").ExitCode);
        // A stray file, as a crashed foreign writer could leave: visible to globbing readers, not committed.
        var committed = _ws.ManifestFiles(LakeSpecs.Sink).Single();
        File.Copy(_ws.P($"{LakeSpecs.Sink}/{committed}"), _ws.P($"{LakeSpecs.Sink}/stray.parquet"));
        _ws.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = _ws.Run("run", "b.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("read 300,", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void RunTwoSpecs_FirstFails_SecondDoesNotRun()
    {
        _ws.Write("in/orders.csv", "id,country,amount,updated_at\n1,FR,oops,2026-01-01T00:00:00Z\n");
        _ws.Save(LakeSpecs.Orders(), "a.json");
        _ws.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = _ws.Run("run", "a.json", "b.json");

        Assert.Equal(3, result.ExitCode);
        Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(_ws.P("lake/fr")));
    }

    [Fact]
    public void RunTwoSpecs_BothSucceed_RunInOrder()
    {
        _ws.WriteOrders("in/orders.csv", 0, 30);
        _ws.Save(LakeSpecs.Orders(), "a.json");
        _ws.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = _ws.Run("run", "a.json", "b.json");

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("orders: succeeded", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("by_country: succeeded — read 30, filtered 20", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ShippedExample_OrdersThenOrdersByCountry_PartitionsTheFirstOutput()
    {
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repo.FullName, "Etl.sln")))
        {
            repo = repo.Parent!;
        }
        foreach (var file in new[] { "pipelines/orders-csv-to-parquet.json", "pipelines/orders-by-country.json", "pipelines/pipeline.schema.json", "data/samples/orders.csv" })
        {
            _ws.Write(file, File.ReadAllText(Path.Combine(repo.FullName, file)));
        }

        var result = _ws.Run("run", "pipelines/orders-csv-to-parquet.json", "pipelines/orders-by-country.json", "--param", "date=2026-11-28");

        Assert.Equal(0, result.ExitCode);
        var first = _ws.Committed("data/lake/orders/date=2026-11-28");
        var second = _ws.Committed("data/lake/orders_by_country/date=2026-11-28");
        Assert.Equal(
            LakeWorkspace.Strings($"SELECT country, count(*), sum(amount) FROM {first} GROUP BY country ORDER BY country"),
            LakeWorkspace.Strings($"SELECT country, count(*), sum(amount) FROM {second} GROUP BY country ORDER BY country"));
        Assert.All(_ws.ManifestFiles("data/lake/orders_by_country/date=2026-11-28"), f => Assert.StartsWith("country=", f, StringComparison.Ordinal));
    }
}
