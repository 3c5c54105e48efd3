// End to end: quotes as people write them in CSV are read literally; strict mode and unclosed quotes still dead-letter.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Csv;

public sealed class CsvQuoteTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(string input, string source = "") => _folder.Write("spec.json", $$"""
        {
          "name": "quotes",
          "source": { "type": "csv", "path": {{JsonSerializer.Serialize(input)}}, "inferTypes": false {{source}} },
          "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 10 },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/q")}} } ]
        }
        """);

    private string Lake => DuckDb.Parquet(_folder.PathOf("lake/q"));

    private List<JsonElement> DeadLetters => [.. File.ReadLines(Directory.GetFiles(_folder.PathOf("errors")).Single()).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public async Task QuoteInsideUnquotedField_CsvSpectrumLocationCoordinates_IsReadLiterally()
    {
        var corpus = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Csv", "Corpus", "location_coordinates.csv");

        await EtlCli.RunOkAsync("run", Spec(Path.GetFullPath(corpus)));

        Assert.Equal([["02095257564", "37°36'37.8\"N 121°2'17.9\"W", "Modesto", "Stanislaus"]], DuckDb.Rows($"SELECT * FROM {Lake}"));
    }

    [Fact]
    public async Task QuoteInsideUnquotedField_Strict_IsDeadLetteredWithFileAndLine()
    {
        _folder.Write("in.csv", "id,pos\n1,37°36'37.8\"N\n2,ok\n");

        var result = await EtlCli.RunOkAsync("run", Spec(_folder.PathOf("in.csv"), """, "strict": true"""));

        Assert.Equal(1, result.Summary.Failed);
        Assert.Equal(_folder.PathOf("in.csv") + ":2", DeadLetters.Single().GetProperty("origin").GetString());
    }

    [Fact]
    public async Task StrayQuote_Strict_RightAfterARowWithTooManyFields_IsDeadLetteredToo()
    {
        _folder.Write("in.csv", "id,pos\n1,a\n2,too,many\n3,37°36'37.8\"N\n4,d\n");

        var result = await EtlCli.RunOkAsync("run", Spec(_folder.PathOf("in.csv"), """, "strict": true"""));

        Assert.Equal((4L, 2L, 2L), (result.Summary.Read, result.Summary.Failed, result.Summary.Written));
        Assert.Equal([_folder.PathOf("in.csv") + ":3", _folder.PathOf("in.csv") + ":4"], DeadLetters.Select(l => l.GetProperty("origin").GetString()));
    }

    [Fact]
    public async Task UnclosedQuote_IsOneDeadLetterWithFileAndLine()
    {
        _folder.Write("in.csv", "id,pos\n1,a\n2,\"never closed\n3,c\n");

        var result = await EtlCli.RunOkAsync("run", Spec(_folder.PathOf("in.csv")));

        Assert.Equal(new Summary("quotes", "succeeded", 2, 0, 1, 0, 1, 1), result.Summary);
        var letter = DeadLetters.Single();
        Assert.Equal(_folder.PathOf("in.csv") + ":3", letter.GetProperty("origin").GetString());
        Assert.Equal("malformed CSV record: UnterminatedQuote", letter.GetProperty("reason").GetString());
    }
}
