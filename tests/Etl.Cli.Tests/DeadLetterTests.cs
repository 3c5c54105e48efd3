// Bad rows and unconvertible values go to the dead-letter file with file:line, column, value and reason; the run goes on.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class DeadLetterTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // Line 3: a value that is not a decimal; line 4: too few fields; line 7 (after a record spanning lines 5-6): too many.
    private const string Input =
        "id,amount,note\n" +
        "1,10.00,ok\n" +
        "2,\"12,5O\",bad value\n" +
        "3,1.00\n" +
        "4,2.00,\"multi\nline\"\n" +
        "5,2.00,x,extra\n" +
        "6,3.00,fine\n";

    private string Spec(long maxFailedRecords) => _folder.Write("dl.json", $$"""
        {
          "name": "dl",
          "source": { "type": "csv", "path": {{_folder.Json("in/orders.csv")}} },
          "schema": { "id": "int64", "amount": "decimal(18,2)", "note": "string" },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/dl")}} } ],
          "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": {{maxFailedRecords}} }
        }
        """);

    private List<JsonElement> DeadLetters()
    {
        var file = Assert.Single(Directory.GetFiles(_folder.PathOf("errors"), "*.jsonl"));
        return [.. File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    [Fact]
    public async Task BadRows_WithMaxFailedRecordsZero_ExitThreeAndCommitNothing()
    {
        var csv = _folder.Write("in/orders.csv", Input);

        var result = await EtlCli.RunAsync("run", Spec(0));

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(new Summary("dl", "toomanyfailures", 6, 0, 3, 0, 3, 0), result.Summary);
        Assert.Empty(_folder.VisibleFiles("lake/dl"));
        var deadLetterFile = Assert.Single(Directory.GetFiles(_folder.PathOf("errors")));
        Assert.Equal(
            [
                $"dl: 3 record(s) failed, more than errors.maxFailedRecords (0); nothing was committed; see {deadLetterFile}",
                $"dl: 3 dead letter(s) in {deadLetterFile}",
            ],
            result.ErrorLines);
        Assert.Equal(3, DeadLetters().Count);
        Assert.True(File.Exists(csv));
    }

    [Fact]
    public async Task BadRows_WithinMaxFailedRecords_ExitZeroAndWriteTheGoodRows()
    {
        _folder.Write("in/orders.csv", Input);

        var result = await EtlCli.RunOkAsync("run", Spec(3));

        Assert.Equal(new Summary("dl", "succeeded", 6, 0, 3, 0, 3, 1), result.Summary);
        Assert.Equal([["1", "10.00"], ["4", "2.00"], ["6", "3.00"]], DuckDb.Rows($"SELECT id, amount FROM {DuckDb.Parquet(_folder.PathOf("lake/dl"))} ORDER BY id"));
    }

    [Fact]
    public async Task UnconvertibleValue_DeadLetter_NamesFileLineColumnValueAndReason()
    {
        var csv = _folder.Write("in/orders.csv", Input);

        await EtlCli.RunOkAsync("run", Spec(3));

        var letter = DeadLetters()[0];
        Assert.Equal(
            ("source", $"{csv}:3", "amount", "12,5O", "column 'amount': \"12,5O\" is not a decimal(18,2)", "2,\"12,5O\",bad value"),
            (letter.GetProperty("stage").GetString(), letter.GetProperty("origin").GetString(), letter.GetProperty("column").GetString(),
             letter.GetProperty("value").GetString(), letter.GetProperty("reason").GetString(), letter.GetProperty("raw").GetString()));
    }

    [Fact]
    public async Task FieldCountMismatch_DeadLetters_NameTheLineWhereEachRecordStarts()
    {
        var csv = _folder.Write("in/orders.csv", Input);

        await EtlCli.RunOkAsync("run", Spec(3));

        var letters = DeadLetters().Skip(1).Select(l => (l.GetProperty("origin").GetString(), l.GetProperty("reason").GetString(), l.GetProperty("raw").GetString()));
        Assert.Equal(
            [
                ($"{csv}:4", "malformed CSV record: FieldCountMismatch (the header has 3 fields)", "3,1.00"),
                ($"{csv}:7", "malformed CSV record: FieldCountMismatch (the header has 3 fields)", "5,2.00,x,extra"),
            ],
            letters);
    }

    [Fact]
    public async Task NullInNotNullColumn_GoesToTheDeadLetterFile()
    {
        var json = _folder.Write("in/orders.jsonl", "{\"id\": 1, \"amount\": 1.5}\n{\"id\": null, \"amount\": 2}\n");
        var spec = _folder.Write("nn.json", $$"""
            {
              "name": "nn",
              "source": { "type": "jsonl", "path": {{_folder.Json("in/orders.jsonl")}} },
              "schema": { "id": "int64 not null", "amount": "decimal(18,2)" },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/nn")}} } ],
              "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 1 }
            }
            """);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("nn", "succeeded", 2, 0, 1, 0, 1, 1), result.Summary);
        var letter = Assert.Single(DeadLetters());
        Assert.Equal(("schema", $"{json}:2", "id", "column 'id': null in a column declared int64 not null"),
            (letter.GetProperty("stage").GetString(), letter.GetProperty("origin").GetString(), letter.GetProperty("column").GetString(), letter.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task UnconvertibleJsonValue_DeadLetter_NamesColumnValueAndKeepsTheRecord()
    {
        var json = _folder.Write("in/orders.jsonl", "{\"id\": 1, \"amount\": 1.5}\n{\"id\": 2, \"amount\": 1.005}\n");
        var spec = _folder.Write("j.json", $$"""
            {
              "name": "j",
              "source": { "type": "jsonl", "path": {{_folder.Json("in/orders.jsonl")}} },
              "schema": { "id": "int64", "amount": "decimal(18,2)" },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/j")}} } ],
              "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 1 }
            }
            """);

        await EtlCli.RunOkAsync("run", spec);

        var letter = Assert.Single(DeadLetters());
        Assert.Equal(($"{json}:2", "amount", "1.005", "column 'amount': \"1.005\" is not a decimal(18,2) (more than 2 digits after the decimal point)", """{"id":2,"amount":1.005}"""),
            (letter.GetProperty("origin").GetString(), letter.GetProperty("column").GetString(), letter.GetProperty("value").GetString(),
             letter.GetProperty("reason").GetString(), letter.GetProperty("record").GetRawText()));
    }

    [Fact]
    public async Task FailingExpression_DeadLetter_NamesTheTransform()
    {
        var json = _folder.Write("in/orders.jsonl", "{\"id\": 1, \"qty\": 2}\n{\"id\": 2, \"qty\": 0}\n");
        var spec = _folder.Write("e.json", $$"""
            {
              "name": "e",
              "source": { "type": "jsonl", "path": {{_folder.Json("in/orders.jsonl")}} },
              "transforms": [ { "type": "derive", "column": "per", "expression": "10 / qty" } ],
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/e")}} } ],
              "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 1 }
            }
            """);

        var result = await EtlCli.RunOkAsync("run", spec);

        Assert.Equal(new Summary("e", "succeeded", 2, 0, 1, 0, 1, 1), result.Summary);
        var letter = Assert.Single(DeadLetters());
        Assert.Equal(("transforms[0] (derive)", $"{json}:2"), (letter.GetProperty("stage").GetString(), letter.GetProperty("origin").GetString()));
        Assert.StartsWith("expression \"10 / qty\" failed: ", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
