// Chaining: a parquet source reads another run's sink folder, Hive partition folders (key=value) coming back as columns.
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
}
