// The json source reads a document holding an array of records, or the array at recordPath inside an object, item by item.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class JsonSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(string source, int maxFailedRecords = 0) => _folder.Write("json.json", $$"""
        {
          "name": "customers",
          "source": {{source}},
          "schema": { "id": "int64", "name": "string", "vip": "bool", "since": "date" },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/customers")}} } ],
          "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": {{maxFailedRecords}} }
        }
        """);

    private string Source(string? recordPath = null) => recordPath is null
        ? $$"""{ "type": "json", "path": {{_folder.Json("in/customers.json")}} }"""
        : $$"""{ "type": "json", "path": {{_folder.Json("in/customers.json")}}, "recordPath": "{{recordPath}}" }""";

    private List<string?[]> Lake() => DuckDb.Rows($"SELECT id, name FROM {DuckDb.Parquet(_folder.PathOf("lake/customers"))} ORDER BY id");

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

    [Fact]
    public async Task JsonSource_RecordPath_ValuesBeforeAndAfterTheArrayAreSkipped()
    {
        // "items" also appears inside meta and after the array: only the one at the path is read.
        _folder.Write("in/customers.json", """
            { "meta": { "items": [ { "id": -1 } ], "source": "crm" },
              "data": { "count": 2, "items": [ { "id": 1, "name": "a" }, { "id": 2, "name": "b" } ], "next": null },
              "trailer": { "items": [ { "id": -2 } ], "pages": [1, 2, 3] } }
            """);

        var result = await EtlCli.RunOkAsync("run", Spec(Source("data.items")));

        Assert.Equal(new Summary("customers", "succeeded", 2, 0, 0, 0, 2, 1), result.Summary);
        Assert.Equal([["1", "a"], ["2", "b"]], Lake());
    }

    [Fact]
    public async Task JsonSource_EmptyArray_SucceedsWithNoRecords()
    {
        _folder.Write("in/customers.json", """{ "data": { "items": [] }, "total": 0 }""");

        var result = await EtlCli.RunOkAsync("run", Spec(Source("data.items")));

        // One file with the declared columns and no rows (see EmptyRunTests).
        Assert.Equal(new Summary("customers", "succeeded", 0, 0, 0, 0, 0, 1), result.Summary);
        Assert.Empty(Lake());
    }

    [Fact]
    public async Task JsonSource_FileCutShortInsideTheArray_FailsNamingLineColumnAndItemAndCommitsNothing()
    {
        var input = _folder.Write("in/customers.json", "[\n{ \"id\": 1, \"name\": \"a\" },\n{ \"id\": 2, \"name\": \"b\" },\n{ \"id\": 3, \"na");

        var result = await EtlCli.RunAsync("run", Spec(Source()));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("failed", result.Summary.Status);
        Assert.Contains($"{input}:4:15: invalid JSON in item [2]: ", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(_folder.VisibleFiles("lake/customers"));
    }

    [Fact]
    public async Task JsonSource_ItemThatIsNotAnObject_IsADeadLetterNamingItsPathInTheDocument()
    {
        var input = _folder.Write("in/customers.json", """{ "data": [ { "id": 1, "name": "a" }, "oops", { "id": 3, "name": "c" } ] }""");

        var result = await EtlCli.RunOkAsync("run", Spec(Source("data"), maxFailedRecords: 1));

        Assert.Equal(new Summary("customers", "succeeded", 3, 0, 1, 0, 2, 1), result.Summary);
        Assert.Equal([["1", "a"], ["3", "c"]], Lake());
        var letter = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(_folder.PathOf("errors")))))).RootElement;
        Assert.Equal($"{input}:data[1]", letter.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task JsonSource_ValueThatDoesNotConvert_DeadLetterNamesTheItem()
    {
        var input = _folder.Write("in/customers.json", """[ { "id": 1, "name": "a" }, { "id": "two", "name": "b" } ]""");

        await EtlCli.RunOkAsync("run", Spec(Source(), maxFailedRecords: 1));

        var letter = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Assert.Single(Directory.GetFiles(_folder.PathOf("errors")))))).RootElement;
        Assert.Equal($"{input}:[1]", letter.GetProperty("origin").GetString());
    }
}
