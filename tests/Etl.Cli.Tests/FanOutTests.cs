// Fan-out: one run writes every record to a Parquet and a CSV sink; the CSV is RFC 4180 and reads back identical.
using System.IO.Compression;
using System.Text;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class FanOutTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Input =
        "id,name,note,amount,paid,day,at\n" +
        "1,\"Acme, Inc.\",\"said \"\"hi\"\"\",10.50,true,2026-11-28,2026-11-28T10:00:00Z\n" +
        "2,O'Brien,\"line one\nline two\",,false,,2026-11-28T10:00:00.5+01:00\n" +
        "3,,plain,-0.10,,2026-01-01,\n";

    private const string Schema = """
        "schema": { "id": "int64 not null", "name": "string", "note": "string", "amount": "decimal(18,2)", "paid": "bool", "day": "date", "at": "timestamp" },
        """;

    // How DuckDB should read the CSV back: the Parquet file's types, given rather than sniffed.
    private const string CsvTypes = "{'id': 'BIGINT', 'amount': 'DECIMAL(18,2)', 'paid': 'BOOLEAN', 'day': 'DATE', 'at': 'TIMESTAMPTZ'}";

    private string Spec(string sinks) => _folder.Write("fan.json", $$"""
        {
          "name": "fan",
          "source": { "type": "csv", "path": {{_folder.Json("in/orders.csv")}} },
          {{Schema}}
          "sinks": {{sinks}}
        }
        """);

    private async Task<CliResult> RunBothAsync(string csvSinkExtra = "")
    {
        _folder.Write("in/orders.csv", Input);
        var spec = Spec($$"""
            [
              { "type": "parquet", "path": {{_folder.Json("lake/parquet")}} },
              { "type": "csv", "path": {{_folder.Json("lake/csv")}} {{csvSinkExtra}} }
            ]
            """);
        return await EtlCli.RunOkAsync("run", spec);
    }

    [Fact]
    public async Task FanOut_ParquetAndCsvSinks_BothHoldEveryRow()
    {
        var result = await RunBothAsync();

        Assert.Equal(new Summary("fan", "succeeded", 3, 0, 0, 0, 3, 2), result.Summary);
        var csv = Assert.Single(_folder.VisibleFiles("lake/csv"));
        var fromParquet = DuckDb.Rows($"SELECT * FROM {DuckDb.Parquet(_folder.PathOf("lake/parquet"))} ORDER BY id");
        var fromCsv = DuckDb.Rows($"SELECT * FROM read_csv({DuckDb.Quote(csv)}, header = true, types = {CsvTypes}) ORDER BY id");
        Assert.Equal(3, fromParquet.Count);
        Assert.Equal(fromParquet, fromCsv);
    }

    [Fact]
    public async Task CsvSink_TrickyValues_AreWrittenAsRfc4180()
    {
        await RunBothAsync();

        var csv = Assert.Single(_folder.VisibleFiles("lake/csv"));
        Assert.EndsWith(".csv", csv, StringComparison.Ordinal);
        var expected =
            "id,name,note,amount,paid,day,at\r\n" +
            "1,\"Acme, Inc.\",\"said \"\"hi\"\"\",10.50,true,2026-11-28,2026-11-28T10:00:00Z\r\n" +
            "2,O'Brien,\"line one\nline two\",,false,,2026-11-28T09:00:00.5Z\r\n" +
            "3,,plain,-0.10,,2026-01-01,\r\n";
        Assert.Equal(expected, File.ReadAllText(csv, Encoding.UTF8));
    }

    [Fact]
    public async Task CsvSink_SniffedByDuckDb_GivesTheSameTypesAsTheParquetSink()
    {
        await RunBothAsync();

        var csv = Assert.Single(_folder.VisibleFiles("lake/csv"));
        var sniffed = DuckDb.Describe($"SELECT * FROM read_csv({DuckDb.Quote(csv)})");
        var parquet = DuckDb.Describe($"SELECT * FROM {DuckDb.Parquet(_folder.PathOf("lake/parquet"))}");
        Assert.Equal(parquet.Select(c => c.Name), sniffed.Select(c => c.Name));
        Assert.Equal(["BIGINT", "VARCHAR", "VARCHAR", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP WITH TIME ZONE"], sniffed.Select(c => c.Type));
    }

    [Fact]
    public async Task CsvSink_Gzip_WritesACompressedFileDuckDbReads()
    {
        await RunBothAsync(""", "compression": "gzip" """);

        var gz = Assert.Single(_folder.VisibleFiles("lake/csv"));
        Assert.EndsWith(".csv.gz", gz, StringComparison.Ordinal);
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(gz), CompressionMode.Decompress), Encoding.UTF8))
        {
            Assert.StartsWith("id,name,note,amount,paid,day,at\r\n1,\"Acme, Inc.\",", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
        var fromParquet = DuckDb.Rows($"SELECT * FROM {DuckDb.Parquet(_folder.PathOf("lake/parquet"))} ORDER BY id");
        var fromCsv = DuckDb.Rows($"SELECT * FROM read_csv({DuckDb.Quote(gz)}, header = true, types = {CsvTypes}) ORDER BY id");
        Assert.Equal(fromParquet, fromCsv);
    }

    [Fact]
    public async Task CsvSink_DelimiterAndNoHeader_AreHonoured()
    {
        _folder.Write("in/orders.csv", Input);
        var spec = Spec($$"""[ { "type": "csv", "path": {{_folder.Json("lake/csv")}}, "delimiter": ";", "header": false } ]""");

        await EtlCli.RunOkAsync("run", spec);

        var csv = Assert.Single(_folder.VisibleFiles("lake/csv"));
        Assert.StartsWith("1;Acme, Inc.;\"said \"\"hi\"\"\";10.50;true;", File.ReadAllText(csv), StringComparison.Ordinal);
    }
}
