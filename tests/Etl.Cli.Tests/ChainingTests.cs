// Chaining: a pipeline reads another run's sink folder (committed files only, Hive partition folders coming back as
// columns); etl run a b runs in order and stops at the first failure.
using System.Text.Json.Nodes;
using Etl.Cli.Tests.Lake;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class ChainingTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Input =
        "id,country,amount\n" +
        "1,DE,10.50\n" +
        "2,FR,0.01\n" +
        "3,,7.00\n" +
        "4,DE,-3.25\n";

    private (string First, string Second) WriteSpecs()
    {
        _folder.Write("in/orders.csv", Input);
        var first = _folder.Write("first.json", $$"""
            {
              "name": "first",
              "parameters": { "date": "2026-01-01" },
              "source": { "type": "csv", "path": {{_folder.Json("in/orders.csv")}} },
              "schema": { "id": "int64", "country": "string", "amount": "decimal(18,2)" },
              "sinks": [ { "type": "parquet", "path": "{{_folder.PathOf("lake/orders")}}/date=${date}", "partitionBy": [ "country" ] } ]
            }
            """);
        var second = _folder.Write("second.json", $$"""
            {
              "name": "second",
              "source": { "type": "parquet", "path": {{_folder.Json("lake/orders")}} },
              "sinks": [ { "type": "csv", "path": {{_folder.Json("lake/copy")}} } ]
            }
            """);
        return (first, second);
    }

    [Fact]
    public async Task ParquetToCsv_InOneRun_RestoresPartitionFoldersAsColumns()
    {
        var (first, second) = WriteSpecs();

        var result = await EtlCli.RunOkAsync("run", first, second, "--param", "date=2026-11-28");

        Assert.Equal(
            [new Summary("first", "succeeded", 4, 0, 0, 0, 4, 3), new Summary("second", "succeeded", 4, 0, 0, 0, 4, 1)],
            result.Summaries);
        var csv = Assert.Single(_folder.VisibleFiles("lake/copy"));
        string?[][] expected =
        [
            ["1", "10.50", "2026-11-28", "DE"],
            ["2", "0.01", "2026-11-28", "FR"],
            ["3", "7.00", "2026-11-28", null],
            ["4", "-3.25", "2026-11-28", "DE"],
        ];
        Assert.Equal(expected, DuckDb.Rows($"SELECT id, amount, date, country FROM read_csv({DuckDb.Quote(csv)}, header = true, types = {{'amount': 'DECIMAL(18,2)'}}) ORDER BY id"));
    }

    [Fact]
    public async Task ParquetSink_PartitionBy_WritesHiveFoldersDuckDbReads()
    {
        var (first, _) = WriteSpecs();

        await EtlCli.RunOkAsync("run", first, "--param", "date=2026-11-28");

        var folders = _folder.VisibleFiles("lake/orders").Select(f => Path.GetRelativePath(_folder.PathOf("lake/orders"), Path.GetDirectoryName(f)!)).ToList();
        Assert.Equal(["date=2026-11-28/country=DE", "date=2026-11-28/country=FR", "date=2026-11-28/country=__HIVE_DEFAULT_PARTITION__"], folders);
        string?[][] expected = [["1", "DE", "2026-11-28"], ["2", "FR", "2026-11-28"], ["3", null, "2026-11-28"], ["4", "DE", "2026-11-28"]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT id, country, date FROM {DuckDb.Parquet(_folder.PathOf("lake/orders"))} ORDER BY id"));
    }

    [Fact]
    public async Task ParquetToCsv_ColumnTypes_SurviveTheSecondRun()
    {
        var (first, second) = WriteSpecs();

        await EtlCli.RunOkAsync("run", first, second);

        var csv = Assert.Single(_folder.VisibleFiles("lake/copy"));
        Assert.Equal(
            [("id", "BIGINT"), ("amount", "DOUBLE"), ("date", "DATE"), ("country", "VARCHAR")],
            DuckDb.Describe($"SELECT * FROM read_csv({DuckDb.Quote(csv)})"));
        Assert.Equal("id,amount,date,country\r\n1,10.50,2026-01-01,DE\r\n", string.Concat(File.ReadAllText(csv).Split("\r\n").Take(2).Select(l => l + "\r\n")));
    }

    [Fact]
    public async Task ParquetToParquet_Int32Column_StaysInteger()
    {
        _folder.Write("in/small.csv", "id,big\n1,5000000000\n2,6\n");
        var first = _folder.Write("int32.json", $$"""
            { "name": "int32", "source": { "type": "csv", "path": {{_folder.Json("in/small.csv")}} },
              "schema": { "id": "int32", "big": "int64" },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/ints")}} } ] }
            """);
        var second = _folder.Write("copy.json", $$"""
            { "name": "copy", "source": { "type": "parquet", "path": {{_folder.Json("lake/ints")}} },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/copy")}} } ] }
            """);

        await EtlCli.RunOkAsync("run", first, second);

        Assert.Equal([("id", "INTEGER"), ("big", "BIGINT")], DuckDb.Describe($"SELECT * FROM {DuckDb.Parquet(_folder.PathOf("lake/copy"))}"));
    }

    private static JsonObject Reader(string type, string input, string sink, string name = "by_country") => new()
    {
        ["name"] = name,
        ["source"] = new JsonObject { ["type"] = type, ["path"] = input },
        ["transforms"] = new JsonArray(new JsonObject { ["type"] = "filter", ["where"] = "country == \"FR\"" }),
        ["sinks"] = new JsonArray(new JsonObject { ["type"] = "csv", ["path"] = sink }),
    };

    [Fact]
    public async Task RunTwoSpecs_ParquetSourceOnPartitionedSink_RestoresThePartitionColumn()
    {
        _folder.WriteOrders("in/orders.csv", 0, 300);
        _folder.Save(LakeSpecs.Orders(partitionBy: ["country"]), "a.json");
        _folder.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "a.json", "b.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("100|FR|0", DuckDb.Strings($"SELECT count(*), min(country), min(id) FROM read_csv('{_folder.PathOf("lake/fr")}/*.csv')")[0]);
    }

    [Fact]
    public async Task CsvSource_OnPartitionedCsvSink_RestoresThePartitionColumn()
    {
        _folder.WriteOrders("in/orders.csv", 0, 300);
        _folder.Save(LakeSpecs.Orders(partitionBy: ["country"], sinkType: "csv"), "a.json");
        _folder.Save(Reader("csv", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "a.json", "b.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("100|FR", DuckDb.Strings($"SELECT count(*), min(country) FROM read_csv('{_folder.PathOf("lake/fr")}/*.csv')")[0]);
    }

    [Fact]
    public async Task ParquetSource_OnSinkWithManifest_ReadsOnlyTheFilesItLists()
    {
        _folder.WriteOrders("in/orders.csv", 0, 300);
        _folder.Save(LakeSpecs.Orders(), "a.json");
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "a.json")).ExitCode);
        // A stray file, as a crashed foreign writer could leave: visible to globbing readers, not committed.
        var committed = _folder.ManifestFiles(LakeSpecs.Sink).Single();
        File.Copy(_folder.PathOf($"{LakeSpecs.Sink}/{committed}"), _folder.PathOf($"{LakeSpecs.Sink}/stray.parquet"));
        _folder.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "b.json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("read 300,", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunTwoSpecs_FirstFails_SecondDoesNotRun()
    {
        _folder.Write("in/orders.csv", "id,country,amount,updated_at\n1,FR,oops,2026-01-01T00:00:00Z\n");
        _folder.Save(LakeSpecs.Orders(), "a.json");
        _folder.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "a.json", "b.json");

        Assert.Equal(3, result.ExitCode);
        Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(_folder.PathOf("lake/fr")));
    }

    [Fact]
    public async Task RunTwoSpecs_BothSucceed_RunInOrder()
    {
        _folder.WriteOrders("in/orders.csv", 0, 30);
        _folder.Save(LakeSpecs.Orders(), "a.json");
        _folder.Save(Reader("parquet", LakeSpecs.Sink, "lake/fr"), "b.json");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "a.json", "b.json");

        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("orders: succeeded", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("by_country: succeeded — read 30, filtered 20", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShippedExample_OrdersThenOrdersByCountry_PartitionsTheFirstOutput()
    {
        foreach (var file in new[] { "pipelines/orders-csv-to-parquet.json", "pipelines/orders-by-country.json", "pipelines/pipeline.schema.json", "data/samples/orders.csv" })
        {
            _folder.CopyFromRepo(file);
        }

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "pipelines/orders-csv-to-parquet.json", "pipelines/orders-by-country.json", "--param", "date=2026-11-28");

        Assert.Equal(0, result.ExitCode);
        var first = _folder.Committed("data/lake/orders/date=2026-11-28");
        var second = _folder.Committed("data/lake/orders_by_country/date=2026-11-28");
        Assert.Equal(
            DuckDb.Strings($"SELECT country, count(*), sum(amount) FROM {first} GROUP BY country ORDER BY country"),
            DuckDb.Strings($"SELECT country, count(*), sum(amount) FROM {second} GROUP BY country ORDER BY country"));
        Assert.All(_folder.ManifestFiles("data/lake/orders_by_country/date=2026-11-28"), f => Assert.StartsWith("country=", f, StringComparison.Ordinal));
    }
}
