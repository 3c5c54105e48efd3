// End to end: CSV files in the encodings people export, and bytes that are not UTF-8 as a dead letter, never a crash.
using System.Text;
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Csv;

public sealed class CsvEncodingTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(string encoding) => _folder.Write("spec.json", $$"""
        {
          "name": "enc",
          "source": { "type": "csv", "path": {{_folder.Json("in.csv")}}, "encoding": "{{encoding}}" },
          "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 10 },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/enc")}} } ]
        }
        """);

    private void WriteInput(byte[] bytes) => File.WriteAllBytes(_folder.PathOf("in.csv"), bytes);

    private List<string?[]> Names => DuckDb.Rows($"SELECT name FROM {DuckDb.Parquet(_folder.PathOf("lake/enc"))} ORDER BY id");

    [Fact]
    public async Task Windows1252File_WithEncodingSet_ReadsAccentsAndEuroSign()
    {
        WriteInput([.. "id,name\n1,caf"u8, 0xE9, .. "\n2,"u8, 0x80, .. "5\n"u8]);

        await EtlCli.RunOkAsync("run", Spec("windows-1252"));

        Assert.Equal([["café"], ["€5"]], Names);
    }

    [Fact]
    public async Task Utf16FileWithBom_WithEncodingSet_IsRead()
    {
        WriteInput([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("id,name\n1,Müller\n")]);

        await EtlCli.RunOkAsync("run", Spec("utf-16"));

        Assert.Equal([["Müller"]], Names);
    }

    [Fact]
    public async Task Utf8FileWithBom_IsReadWithoutTheBom()
    {
        WriteInput([.. Encoding.UTF8.GetPreamble(), .. "id,name\n1,Zoë\n"u8]);

        await EtlCli.RunOkAsync("run", Spec("utf-8"));

        Assert.Equal([["Zoë"]], Names);
    }

    [Fact]
    public async Task Latin1BytesReadAsUtf8_AreADeadLetterWithFileLineAndAHint()
    {
        WriteInput([.. "id,name\n1,caf"u8, 0xE9, .. "\n2,ok\n"u8]);

        var result = await EtlCli.RunOkAsync("run", Spec("utf-8"));

        Assert.Equal(new Summary("enc", "succeeded", 2, 0, 1, 0, 1, 1), result.Summary);
        var letter = JsonDocument.Parse(File.ReadLines(Directory.GetFiles(_folder.PathOf("errors")).Single()).Single()).RootElement;
        Assert.Equal(_folder.PathOf("in.csv") + ":2", letter.GetProperty("origin").GetString());
        Assert.Equal("column 'name': bytes that are not UTF-8; set the source's \"encoding\" (latin1, windows-1252, utf-16)", letter.GetProperty("reason").GetString());
    }
}
