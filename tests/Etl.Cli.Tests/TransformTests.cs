// filter, derive, rename, drop and cast through the CLI, read back with DuckDB.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class TransformTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // The first row's amount is empty on purpose: a null before any typed value must not break the expressions.
    private const string Orders =
        "id,country,status,amount\n" +
        "1,DE,paid,\n" +
        "2,FR,paid,50.00\n" +
        "3,DE,refunded,100.00\n" +
        "4,US,paid,100.01\n" +
        "5,,paid,250.50\n";

    private string Spec(string transforms, string schema = "") => _folder.Write("t.json", $$"""
        {
          "name": "t",
          "source": { "type": "csv", "path": {{_folder.Json("in/orders.csv")}} },
          "transforms": {{transforms}},
          {{schema}}
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/t")}} } ]
        }
        """);

    private string Lake => DuckDb.Parquet(_folder.PathOf("lake/t"));

    private const string OrdersSchema = """
        "schema": { "id": "int64", "country": "string", "status": "string", "amount": "decimal(18,2)", "amount_cents": "int64" },
        """;

    [Fact]
    public async Task Filter_AmountAbove100_KeepsOnlyLargerAmountsAndDropsNulls()
    {
        _folder.Write("in/orders.csv", Orders);
        var spec = Spec("""[ { "type": "filter", "where": "amount > 100" } ]""", OrdersSchema.Replace(", \"amount_cents\": \"int64\"", "", StringComparison.Ordinal));

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("t", "succeeded", 5, 3, 0, 0, 2, 1), result.Summary);
        Assert.Equal([["4", "100.01"], ["5", "250.50"]], DuckDb.Rows($"SELECT id, amount FROM {Lake} ORDER BY id"));
    }

    [Fact]
    public async Task Filter_AmountAbove100WithInferredTypes_KeepsOnlyLargerAmounts()
    {
        _folder.Write("in/orders.csv", Orders);
        var spec = Spec("""[ { "type": "filter", "where": "amount > 100" } ]""");

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("t", "succeeded", 5, 3, 0, 0, 2, 1), result.Summary);
        Assert.Equal([["4"], ["5"]], DuckDb.Rows($"SELECT id FROM {Lake} ORDER BY id"));
    }

    [Fact]
    public async Task Filter_StringComparisons_MatchExactTextAndTreatNullAsNoMatch()
    {
        _folder.Write("in/orders.csv", Orders);
        var spec = Spec("""[ { "type": "filter", "where": "(country == \"DE\" || country == \"US\") && status != \"refunded\"" } ]""");

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("t", "succeeded", 5, 3, 0, 0, 2, 1), result.Summary);
        Assert.Equal([["1"], ["4"]], DuckDb.Rows($"SELECT id FROM {Lake} ORDER BY id"));
    }

    [Fact]
    public async Task Filter_StringMethod_IsAvailable()
    {
        _folder.Write("in/orders.csv", Orders);
        var spec = Spec("""[ { "type": "filter", "where": "status.StartsWith(\"ref\")" } ]""");

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("t", "succeeded", 5, 4, 0, 0, 1, 1), result.Summary);
        Assert.Equal([["3"]], DuckDb.Rows($"SELECT id FROM {Lake}"));
    }

    [Fact]
    public async Task Derive_AmountTimes100_IsExactAndNullStaysNull()
    {
        _folder.Write("in/orders.csv", Orders);
        var spec = Spec("""[ { "type": "derive", "column": "amount_cents", "expression": "amount * 100" } ]""", OrdersSchema);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("t", "succeeded", 5, 0, 0, 0, 5, 1), result.Summary);
        string?[][] expected = [["1", null], ["2", "5000"], ["3", "10000"], ["4", "10001"], ["5", "25050"]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT id, amount_cents FROM {Lake} ORDER BY id"));
    }

    [Fact]
    public async Task Derive_WithoutSchema_InfersTheExpressionType()
    {
        _folder.Write("in/orders.csv", Orders);
        var spec = Spec("""
            [
              { "type": "derive", "column": "big", "expression": "amount > 100" },
              { "type": "derive", "column": "label", "expression": "country + \"-\" + status" }
            ]
            """);

        await EtlCli.RunOkAsync("run", spec);

        Assert.Equal([("big", "BOOLEAN"), ("label", "VARCHAR")], DuckDb.Describe($"SELECT big, label FROM {Lake}"));
        string?[][] expected = [["1", "false", "DE-paid"], ["2", "false", "FR-paid"], ["3", "false", "DE-refunded"], ["4", "true", "US-paid"], ["5", "true", "-paid"]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT id, big, label FROM {Lake} ORDER BY id"));
    }

    [Fact]
    public async Task RenameDropCast_Together_ShapeTheOutputColumns()
    {
        _folder.Write("in/orders.jsonl", """
            {"id": "1", "cty": "DE", "secret": "x", "amount": "12.5", "day": "2026-11-28"}
            {"id": "2", "cty": "FR", "secret": "y", "amount": "0.25", "day": "2026-11-29"}

            """);
        var spec = _folder.Write("t.json", $$"""
            {
              "name": "t",
              "source": { "type": "jsonl", "path": {{_folder.Json("in/orders.jsonl")}} },
              "transforms": [
                { "type": "rename", "columns": { "cty": "country" } },
                { "type": "drop", "columns": [ "secret" ] },
                { "type": "cast", "columns": { "id": "int32", "amount": "decimal(10,2)", "day": "date" } }
              ],
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/t")}} } ]
            }
            """);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("t", "succeeded", 2, 0, 0, 0, 2, 1), result.Summary);
        Assert.Equal([("id", "INTEGER"), ("country", "VARCHAR"), ("amount", "DECIMAL(38,2)"), ("day", "DATE")], DuckDb.Describe($"SELECT * FROM {Lake}"));
        Assert.Equal([["1", "DE", "12.50", "2026-11-28"], ["2", "FR", "0.25", "2026-11-29"]], DuckDb.Rows($"SELECT * FROM {Lake} ORDER BY id"));
    }
}
