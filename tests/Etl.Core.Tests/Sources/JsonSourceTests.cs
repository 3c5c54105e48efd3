// JsonSource: an array of objects per file, or the array at recordPath; a document of another shape fails the run.
using Etl.Core.Tests.TestSupport;

namespace Etl.Core.Tests.Sources;

public sealed class JsonSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Input => _folder.PathOf("in.json");

    private Task<CollectingOutput> ReadAsync(string content, string? recordPath = null)
    {
        _folder.Write("in.json", content);
        var option = recordPath is null ? "" : $", \"recordPath\": \"{recordPath}\"";
        return TestRun.ReadAsync(_folder, $$"""{ "type": "json", "path": {{_folder.Json("in.json")}}{{option}} }""");
    }

    [Fact]
    public async Task JsonSource_RecordPath_ReadsTheArrayThere()
    {
        var output = await ReadAsync("""{"data": {"items": [{"id": 1}, {"id": 2}]}, "next": null}""", "data.items");

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task JsonSource_Utf8ByteOrderMark_IsSkipped()
    {
        var output = await ReadAsync("\uFEFF" + """{"data": [{"id": 1}, {"id": 2}]}""", "data");

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task JsonSource_ItemWithALoneSurrogateEscape_IsRejectedAndTheOthersRead()
    {
        var output = await ReadAsync("""[{"id": 1}, {"id": 2, "s": ["\uDFAA"]}, {"id": 3}]""");

        Assert.Equal([1L, 3L], output.Values("id"));
        var rejection = Assert.Single(output.Rejections);
        Assert.Equal(($"{Input}:[1]", """{"id": 2, "s": ["\uDFAA"]}"""), (rejection.Origin, rejection.Raw));
        Assert.StartsWith("invalid JSON: ", rejection.Reason);
    }

    [Fact]
    public async Task JsonSource_ItemThatIsNotUtf8_IsRejectedNotDecodedWithReplacementCharacters()
    {
        byte[] latin1 = [.. "[{\"s\": \"x\"}, {\"s\": \""u8, 0xE9, .. "\"}, {\"s\": \"y\"}]"u8];
        File.WriteAllBytes(Input, latin1);

        var output = await TestRun.ReadAsync(_folder, $$"""{ "type": "json", "path": {{_folder.Json("in.json")}} }""");

        Assert.Equal(["x", "y"], output.Values("s"));
        Assert.Equal($"{Input}:[1]", Assert.Single(output.Rejections).Origin);
        Assert.StartsWith("not UTF-8 text: byte 0xE9 at offset 7", output.Rejections[0].Reason);
    }

    [Fact]
    public async Task JsonSource_SingleObject_IsOneRecordFromTheFile()
    {
        var output = await ReadAsync("""{"id": 1}""");

        Assert.Equal([Input], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task JsonSource_DocumentOfAnotherShape_ThrowsAskingForRecordPath()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("42"));

        Assert.Equal($"{Input}: expected a JSON array of objects (or set recordPath)", e.Message);
    }

    [Fact]
    public async Task JsonSource_NothingAtRecordPath_ThrowsNamingIt()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("""{"data": []}""", "items"));

        Assert.Equal($"{Input}: no array or object at recordPath 'items'", e.Message);
    }

    [Fact]
    public async Task JsonSource_InvalidJson_ThrowsNamingTheFileLineAndColumn()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("[{\"id\": 1},"));

        Assert.StartsWith($"{Input}:1:11: invalid JSON in item [1]: ", e.Message);
    }

    [Theory]
    [InlineData("""[{"id": 1},]""")]
    [InlineData("""[{"id": 1, }]""")]
    [InlineData("""[{"id": 1}] // a note""")]
    [InlineData("""[/* a note */ {"id": 1}]""")]
    public async Task JsonSource_TrailingCommaOrComment_ThrowsAsInvalidJson(string content)
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(content));

        Assert.Contains(": invalid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonSource_ItemThatIsNotAnObject_IsRejectedSayingSo()
    {
        var output = await ReadAsync("""[{"id": 1}, "text"]""");

        Assert.Equal([new Rejection($"{Input}:[1]", "expected a JSON object in the array", "\"text\"")], output.Rejections);
    }

    [Fact]
    public void JsonSource_RecordPathOfAnHttpRequestValue_IsRefusedByValidation()
    {
        var source = $$"""{ "type": "json", "path": {{_folder.Json("in.json")}}, "recordPath": "$request.id" }""";

        var e = Assert.Throws<Etl.Spec.SpecException>(() => TestRun.Spec(_folder, source));

        var error = Assert.Single(e.Errors);
        Assert.Equal(("$.source.recordPath", "'$request.id' names a value of an HTTP request ($request, $parent), not a place in a JSON file"),
            (error.JsonPath, error.Message));
    }
}
