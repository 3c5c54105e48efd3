// Nested JSON: select reads dotted paths and array elements, explode makes one record per array element.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class NestedJsonTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Orders = """
        {"id": 1, "customer": {"name": "Acme", "address": {"country": "DE"}}, "items": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 1}]}
        {"id": 2, "customer": {"name": "Zoë", "address": {"country": "FR"}}, "items": []}
        {"id": 3, "customer": {"name": "Bob"}, "items": [{"sku": "C", "qty": 5}]}

        """;

    private string Spec(string transforms) => _folder.Write("nested.json", $$"""
        {
          "name": "nested",
          "source": { "type": "jsonl", "path": {{_folder.Json("in/orders.jsonl")}} },
          "transforms": {{transforms}},
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/nested")}} } ]
        }
        """);

    private string Lake => DuckDb.Parquet(_folder.PathOf("lake/nested"));

    [Fact]
    public async Task Select_DottedPathsAndArrayIndex_ReadNestedValues()
    {
        _folder.Write("in/orders.jsonl", Orders);
        var spec = Spec("""
            [ { "type": "select", "columns": { "order_id": "id", "country": "customer.address.country", "first_sku": "items[0].sku", "first_qty": "items[0].qty" } } ]
            """);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("nested", "succeeded", 3, 0, 0, 0, 3, 1), result.Summary);
        string?[][] expected = [["1", "DE", "A", "2"], ["2", "FR", null, null], ["3", null, "C", "5"]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT * FROM {Lake} ORDER BY order_id"));
    }

    [Fact]
    public async Task Explode_ArrayOfObjects_GivesOneRecordPerElementAndDropsEmptyArrays()
    {
        _folder.Write("in/orders.jsonl", Orders);
        var spec = Spec("""
            [
              { "type": "select", "columns": { "order_id": "id", "country": "customer.address.country", "items": "items" } },
              { "type": "explode", "path": "items", "as": "item" },
              { "type": "select", "columns": { "order_id": "order_id", "country": "country", "sku": "item.sku", "qty": "item.qty" } }
            ]
            """);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("nested", "succeeded", 3, 1, 0, 1, 3, 1), result.Summary);
        string?[][] expected = [["1", "DE", "A", "2"], ["1", "DE", "B", "1"], ["3", null, "C", "5"]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT * FROM {Lake} ORDER BY order_id, sku"));
    }

    [Fact]
    public async Task Explode_Outer_KeepsRecordsWithEmptyArraysWithANullElement()
    {
        _folder.Write("in/orders.jsonl", Orders);
        var spec = Spec("""
            [
              { "type": "explode", "path": "items", "as": "item", "outer": true },
              { "type": "select", "columns": { "order_id": "id", "sku": "item.sku" } }
            ]
            """);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("nested", "succeeded", 3, 0, 0, 1, 4, 1), result.Summary);
        string?[][] expected = [["1", "A"], ["1", "B"], ["2", null], ["3", "C"]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT * FROM {Lake} ORDER BY order_id, sku"));
    }

    [Fact]
    public async Task Explode_ArrayOfScalars_TakesTheLastPathNameAsColumn()
    {
        _folder.Write("in/orders.jsonl", """
            {"id": 1, "tags": ["red", "blue"]}
            {"id": 2, "tags": ["green"]}

            """);
        var spec = Spec("""[ { "type": "explode", "path": "tags" } ]""");

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("nested", "succeeded", 2, 0, 0, 1, 3, 1), result.Summary);
        Assert.Equal([["1", "blue"], ["1", "red"], ["2", "green"]], DuckDb.Rows($"SELECT id, tags FROM {Lake} ORDER BY id, tags"));
    }
}
