// Without a schema, column types are inferred from the first rows (as DuckDB does) and then fixed for the run.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class TypeInferenceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(string sourceType, string input, string extra = "") => _folder.Write("infer.json", $$"""
        {
          "name": "infer",
          "source": { "type": "{{sourceType}}", "path": {{_folder.Json(input)}} },
          {{extra}}
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/infer")}} } ]
        }
        """);

    private string Lake => DuckDb.Parquet(_folder.PathOf("lake/infer"));

    [Fact]
    public async Task CsvWithoutSchema_EachKindOfColumn_IsInferredAsDuckDbWould()
    {
        _folder.Write("in/infer.csv",
            "i,d,b,ts,dt,s,zip,mixed\n" +
            "1,1.5,true,2026-11-28T10:00:00Z,2026-11-28,abc,01234,1\n" +
            "-2,2,FALSE,2026-11-29 11:30:00,2026-11-29,12a,02000,2.5\n");
        var spec = Spec("csv", "in/infer.csv");

        await EtlCli.RunOkAsync("run", spec);

        (string, string)[] expected =
        [
            ("i", "BIGINT"), ("d", "DOUBLE"), ("b", "BOOLEAN"), ("ts", "TIMESTAMP WITH TIME ZONE"), ("dt", "DATE"),
            ("s", "VARCHAR"), ("zip", "VARCHAR"), ("mixed", "DOUBLE"),
        ];
        Assert.Equal(expected, DuckDb.Describe($"SELECT * FROM {Lake}"));
    }

    [Fact]
    public async Task CsvWithoutSchema_InferredValues_AreExact()
    {
        _folder.Write("in/infer.csv",
            "i,d,b,ts,zip\n" +
            "1,1.5,true,2026-11-28T10:00:00Z,01234\n" +
            "-2,2,FALSE,2026-11-29 11:30:00,02000\n");
        var spec = Spec("csv", "in/infer.csv");

        await EtlCli.RunOkAsync("run", spec);

        string?[][] expected =
        [
            ["-2", "2.0", "false", "2026-11-29 11:30:00+00", "02000"],
            ["1", "1.5", "true", "2026-11-28 10:00:00+00", "01234"],
        ];
        Assert.Equal(expected, DuckDb.Rows($"SELECT * FROM {Lake} ORDER BY i"));
    }

    [Fact]
    public async Task JsonLinesWithoutSchema_EachKindOfValue_IsInferred()
    {
        _folder.Write("in/infer.jsonl",
            """
            {"i": 1, "d": 1.5, "b": true, "ts": "2026-11-28T10:00:00Z", "s": "x", "nested": {"a": 1}, "list": [1, 2]}
            {"i": 2, "d": 2, "b": false, "ts": "2026-11-29T10:00:00Z", "s": "y", "nested": {"a": 2}, "list": []}
            """);
        var spec = Spec("jsonl", "in/infer.jsonl");

        await EtlCli.RunOkAsync("run", spec);

        (string, string)[] expected =
        [
            ("i", "BIGINT"), ("d", "DOUBLE"), ("b", "BOOLEAN"), ("ts", "TIMESTAMP WITH TIME ZONE"), ("s", "VARCHAR"),
            ("nested", "VARCHAR"), ("list", "VARCHAR"),
        ];
        Assert.Equal(expected, DuckDb.Describe($"SELECT * FROM {Lake}"));
        Assert.Equal([["1", "1.5", "{\"a\":1}", "[1,2]"], ["2", "2.0", "{\"a\":2}", "[]"]],
            DuckDb.Rows($"SELECT i, d, nested, list FROM {Lake} ORDER BY i"));
    }

    [Fact]
    public async Task JsonLinesWithoutSchema_ValueNotFittingTheFixedType_GoesToTheDeadLetterFile()
    {
        _folder.Write("in/infer.jsonl", "{\"n\": 1}\n{\"n\": 2}\n{\"n\": \"many\"}\n{\"n\": 4}\n");
        var spec = Spec("jsonl", "in/infer.jsonl", $$"""
            "batch": { "size": 2 },
            "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 1 },
            """);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("infer", "succeeded", 4, 0, 1, 0, 3, 1), result.Summary);
        Assert.Equal([["1"], ["2"], ["4"]], DuckDb.Rows($"SELECT n FROM {Lake} ORDER BY n"));
        var letter = JsonDocument.Parse(File.ReadLines(Directory.GetFiles(_folder.PathOf("errors"))[0]).Single()).RootElement;
        Assert.Equal("column 'n': \"many\" is not a int64", letter.GetProperty("reason").GetString());
    }
}
