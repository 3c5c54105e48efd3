// CSV input with quotes, commas, embedded newlines and empty fields lands in Parquet with exactly those values.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class CsvRoundTripTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string TrickyCsv =
        "id,name,note,amount\r\n" +
        "1,\"Acme, Inc.\",\"said \"\"hi\"\"\",10.50\r\n" +
        "2,O'Brien & Sons,\"line one\r\nline two\",\r\n" +
        "3,,plain,0.01\r\n" +
        "4,\"\"\"Quoted\"\" Co\",\"a,b\nc\",-7.00\r\n";

    private string Spec(string schema) => $$"""
        {
          "name": "tricky",
          "source": { "type": "csv", "path": {{_folder.Json("in/tricky.csv")}} },
          {{schema}}
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/tricky")}} } ]
        }
        """;

    [Fact]
    public async Task CsvToParquet_QuotesCommasNewlinesAndEmptyFields_RoundTripExactly()
    {
        _folder.Write("in/tricky.csv", TrickyCsv);
        var spec = _folder.Write("tricky.json", Spec("""
            "schema": { "id": "int64", "name": "string", "note": "string", "amount": "decimal(18,2)" },
            """));

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("tricky", "succeeded", 4, 0, 0, 0, 4, 1), result.Summary);
        var rows = DuckDb.Rows($"SELECT id, name, note, amount FROM {DuckDb.Parquet(_folder.PathOf("lake/tricky"))} ORDER BY id");
        string?[][] expected =
        [
            ["1", "Acme, Inc.", "said \"hi\"", "10.50"],
            ["2", "O'Brien & Sons", "line one\r\nline two", null],
            ["3", null, "plain", "0.01"],
            ["4", "\"Quoted\" Co", "a,b\nc", "-7.00"],
        ];
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task CsvToParquet_EmptyFieldWithoutSchema_IsNullNotEmptyText()
    {
        _folder.Write("in/tricky.csv", TrickyCsv);
        var spec = _folder.Write("tricky.json", Spec(""));

        await EtlCli.RunOkAsync("run", spec);

        var nulls = DuckDb.Rows($"SELECT count(*) FILTER (name IS NULL), count(*) FILTER (amount IS NULL), count(*) FILTER (name = '') FROM {DuckDb.Parquet(_folder.PathOf("lake/tricky"))}");
        Assert.Equal([["1", "1", "0"]], nulls);
    }

    [Fact]
    public async Task CsvToParquet_ReadByDuckDbFromTheSameCsv_GivesTheSameRows()
    {
        var csv = _folder.Write("in/tricky.csv", TrickyCsv);
        var spec = _folder.Write("tricky.json", Spec("""
            "schema": { "id": "int64", "name": "string", "note": "string", "amount": "decimal(18,2)" },
            """));

        await EtlCli.RunOkAsync("run", spec);

        var reference = DuckDb.Rows($"SELECT id, name, note, amount FROM read_csv({DuckDb.Quote(csv)}, header = true, types = {{'id': 'BIGINT', 'amount': 'DECIMAL(18,2)'}}) ORDER BY id");
        var written = DuckDb.Rows($"SELECT id, name, note, amount FROM {DuckDb.Parquet(_folder.PathOf("lake/tricky"))} ORDER BY id");
        Assert.Equal(reference, written);
    }
}
