// A declared decimal with more digits after the point than its scale is refused at the schema, naming file:line and the value.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Csv;

public sealed class CsvDeclaredDecimalTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DeclaredDecimal_TooManyDigits_DeadLetterNamesLineColumnValueAndReason()
    {
        var csv = _folder.Write("in/orders.csv", "id,amount\n1,10.00\n2,12.345\n3,1.50\n");
        var spec = _folder.Write("dec.json", $$"""
            {
              "name": "dec",
              "source": { "type": "csv", "path": {{_folder.Json("in/orders.csv")}} },
              "schema": { "id": "int64", "amount": "decimal(18,2)" },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/dec")}} } ],
              "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 1 }
            }
            """);

        await EtlCli.RunOkAsync("run", spec);

        var letter = JsonDocument.Parse(File.ReadAllLines(Assert.Single(Directory.GetFiles(_folder.PathOf("errors"), "*.jsonl")))[0]).RootElement;
        Assert.Equal(
            ("schema", $"{csv}:3", "amount", "12.345", "column 'amount': \"12.345\" is not a decimal(18,2) (more than 2 digits after the decimal point)"),
            (letter.GetProperty("stage").GetString(), letter.GetProperty("origin").GetString(), letter.GetProperty("column").GetString(),
             letter.GetProperty("value").GetString(), letter.GetProperty("reason").GetString()));
    }
}
