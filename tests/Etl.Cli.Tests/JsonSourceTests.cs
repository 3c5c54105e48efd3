// The json source reads a document holding an array of records, or the array at recordPath inside an object.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class JsonSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(string source) => _folder.Write("json.json", $$"""
        {
          "name": "customers",
          "source": {{source}},
          "schema": { "id": "int64", "name": "string", "vip": "bool", "since": "date" },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/customers")}} } ]
        }
        """);

    [Fact]
    public async Task JsonSource_RecordPath_ReadsTheNestedArray()
    {
        _folder.Write("in/customers.json", """
            {
              "meta": { "page": 1 },
              "result": { "data": [
                { "id": 1000, "name": "Zoë Ltd", "vip": true, "since": "2024-01-10" },
                { "id": 1001, "name": "Acme, Inc.", "vip": false, "since": "2024-02-11" }
              ] }
            }
            """);
        var spec = Spec($$"""{ "type": "json", "path": {{_folder.Json("in/customers.json")}}, "recordPath": "result.data" }""");

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("customers", "succeeded", 2, 0, 0, 0, 2, 1), result.Summary);
        string?[][] expected = [["1000", "Zoë Ltd", "true", "2024-01-10"], ["1001", "Acme, Inc.", "false", "2024-02-11"]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT * FROM {DuckDb.Parquet(_folder.PathOf("lake/customers"))} ORDER BY id"));
    }

    [Fact]
    public async Task JsonSource_TopLevelArray_ReadsEveryElement()
    {
        _folder.Write("in/customers.json", """[ { "id": 1, "name": "a" }, { "id": 2, "name": null, "vip": true } ]""");
        var spec = Spec($$"""{ "type": "json", "path": {{_folder.Json("in/customers.json")}} }""");

        await EtlCli.RunOkAsync("run", spec);

        string?[][] expected = [["1", "a", null, null], ["2", null, "true", null]];
        Assert.Equal(expected, DuckDb.Rows($"SELECT * FROM {DuckDb.Parquet(_folder.PathOf("lake/customers"))} ORDER BY id"));
    }
}
