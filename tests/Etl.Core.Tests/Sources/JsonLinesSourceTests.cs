// JsonLinesSource: one object per line, nested values kept, blank lines skipped, bad lines rejected with their line.
using System.IO.Compression;
using Etl.Core.Tests.TestSupport;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources;

public sealed class JsonLinesSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Input => _folder.PathOf("in.jsonl");

    private Task<CollectingOutput> ReadAsync(string content)
    {
        _folder.Write("in.jsonl", content);
        return ReadFileAsync("in.jsonl");
    }

    private Task<CollectingOutput> ReadFileAsync(string relative) =>
        TestRun.ReadAsync(_folder, $$"""{ "type": "jsonl", "path": {{_folder.Json(relative)}} }""");

    [Fact]
    public async Task JsonLinesSource_ScalarValues_KeepTheirJsonTypes()
    {
        var output = await ReadAsync("""{"n": 1, "x": 1.5, "ok": true, "s": "a", "none": null}""" + "\n");

        Assert.Equal([1L, 1.5, true, "a", null], Assert.Single(output.Records).Names.Select(n => output.Records[0][n]));
    }

    [Fact]
    public async Task JsonLinesSource_IntegerBeyondInt64_IsAnExactDecimal()
    {
        var output = await ReadAsync("""{"n": 12345678901234567890, "small": 5, "x": 1e20}""" + "\n");

        var record = Assert.Single(output.Records);
        Assert.Equal([12345678901234567890m, 5L, 1e20], new[] { record["n"], record["small"], record["x"] });
    }

    [Fact]
    public void JsonText_NestedIntegerBeyondInt64_ReadsAsAnExactDecimal()
    {
        var text = """{"number": 98765432109876543210}"""u8.ToArray();
        var column = new Etl.Columns.JsonTextColumn(text, [0], [text.Length], 1);

        Assert.Equal(98765432109876543210m, column.ReadFields(["number"])[0].GetValue(0));
    }

    [Fact]
    public async Task JsonLinesSource_NestedObject_IsANestedRecord()
    {
        var output = await ReadAsync("""{"customer": {"id": 7}}""" + "\n");

        var customer = Assert.IsType<Record>(Assert.Single(output.Records)["customer"]);
        Assert.Equal(7L, customer["id"]);
    }

    [Fact]
    public async Task JsonLinesSource_Array_IsAListOfValues()
    {
        var output = await ReadAsync("""{"tags": ["a", "b"]}""" + "\n");

        Assert.Equal(["a", "b"], Assert.IsAssignableFrom<IReadOnlyList<object?>>(Assert.Single(output.Records)["tags"]));
    }

    [Fact]
    public async Task JsonLinesSource_BlankLines_AreSkippedButCounted()
    {
        var output = await ReadAsync("""{"id": 1}""" + "\n\n   \n" + """{"id": 2}""" + "\n");

        Assert.Equal([$"{Input}:1", $"{Input}:4"], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task JsonLinesSource_Utf8ByteOrderMark_IsSkippedAndLinesKeepTheirNumbers()
    {
        var output = await ReadAsync("\uFEFF" + """{"id": 1}""" + "\n" + """{"id": 2}""" + "\n");

        Assert.Empty(output.Rejections);
        Assert.Equal([1L, 2L], output.Values("id"));
        Assert.Equal([$"{Input}:1", $"{Input}:2"], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task JsonLinesSource_LoneSurrogateEscape_RejectsOnlyItsLine()
    {
        var output = await ReadAsync("""{"id": 1}""" + "\n" + """{"id": 2, "s": "\uDFAA"}""" + "\n" + """{"id": 3}""" + "\n");

        Assert.Equal([1L, 3L], output.Values("id"));
        Assert.Equal($"{Input}:2", Assert.Single(output.Rejections).Origin);
        Assert.StartsWith("invalid JSON: ", output.Rejections[0].Reason);
    }

    [Fact]
    public async Task JsonLinesSource_LoneSurrogateEscapeInANestedValue_RejectsOnlyItsLine()
    {
        var output = await ReadAsync("""{"id": 1, "tags": ["a"]}""" + "\n" + """{"id": 2, "tags": [{"\uD800x": 1}]}""" + "\n");

        Assert.Equal([1L], output.Values("id"));
        Assert.Equal([new Rejection($"{Input}:2", output.Rejections[0].Reason, """{"id": 2, "tags": [{"\uD800x": 1}]}""")], output.Rejections);
    }

    [Fact]
    public async Task JsonLinesSource_SurrogatePairEscape_IsReadAsItsCharacter()
    {
        var output = await ReadAsync("""{"s": "\uD83D\uDE00", "n": ["\uD83D\uDE00"]}""" + "\n");

        Assert.Empty(output.Rejections);
        Assert.Equal(["\U0001F600"], output.Values("s"));
    }

    [Fact]
    public async Task JsonLinesSource_LineThatIsNotUtf8_IsRejectedNotDecodedWithReplacementCharacters()
    {
        byte[] latin1 = [.. "{\"s\": \"x\"}\n{\"s\": \""u8, 0xE9, (byte)'t', 0xE9, .. "\"}\n{\"s\": \"y\"}\n"u8];
        File.WriteAllBytes(Input, latin1);

        var output = await ReadFileAsync("in.jsonl");

        Assert.Equal(["x", "y"], output.Values("s"));
        var rejection = Assert.Single(output.Rejections);
        Assert.Equal($"{Input}:2", rejection.Origin);
        Assert.StartsWith("not UTF-8 text: byte 0xE9 at offset 7", rejection.Reason);
    }

    [Fact]
    public async Task JsonLinesSource_CrLfAndNoFinalLineBreak_ReadsEveryLine()
    {
        var output = await ReadAsync("""{"id": 1}""" + "\r\n" + """{"id": 2}""");

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task JsonLinesSource_LineLongerThanTheReadBuffer_IsReadWhole()
    {
        var text = new string('x', 200_000);

        var output = await ReadAsync($$"""{"id": 1, "text": "{{text}}"}""" + "\n" + """{"id": 2}""" + "\n");

        Assert.Equal([text, null], output.Values("text"));
    }

    [Fact]
    public async Task JsonLinesSource_LineThatIsNotAnObject_IsRejectedSayingSo()
    {
        var output = await ReadAsync("[1, 2]\n");

        Assert.Equal([new Rejection($"{Input}:1", "expected a JSON object on the line", "[1, 2]")], output.Rejections);
    }

    [Theory]
    [InlineData("""{"id": 1,}""")]
    [InlineData("""{"id": [1, 2,]}""")]
    [InlineData("""{"id": 1} // a note""")]
    [InlineData("""{"id": /* a note */ 1}""")]
    public async Task JsonLinesSource_TrailingCommaOrComment_IsRejectedAsInvalidJson(string line)
    {
        var output = await ReadAsync(line + "\n" + """{"id": 2}""" + "\n");

        Assert.StartsWith("invalid JSON: ", Assert.Single(output.Rejections).Reason);
        Assert.Equal([2L], output.Values("id"));
    }

    [Fact]
    public async Task JsonLinesSource_InvalidJson_IsRejectedAsInvalidJson()
    {
        var output = await ReadAsync("{\"id\": \n");

        Assert.StartsWith("invalid JSON: ", Assert.Single(output.Rejections).Reason);
    }

    [Fact]
    public async Task JsonLinesSource_GzipFile_ReadsItDecompressed()
    {
        using (var gzip = new GZipStream(File.Create(_folder.PathOf("in.jsonl.gz")), CompressionLevel.Fastest))
        {
            gzip.Write("{\"id\": 1}\n{\"id\": 2}\n"u8);
        }

        var output = await ReadFileAsync("in.jsonl.gz");

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task JsonLinesSource_RecordsOfOneShape_ShareTheirNames()
    {
        var output = await ReadAsync("""{"id": 1, "name": "a"}""" + "\n" + """{"id": 2, "name": "b"}""" + "\n");

        Assert.Same(output.Records[0].SharedNames, output.Records[1].SharedNames);
    }
}
