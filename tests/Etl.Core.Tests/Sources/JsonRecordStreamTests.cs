// JsonRecordStream: the array at a path is read item by item from a buffer refilled as it goes, whatever the cuts.
using System.Text;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Sources;

namespace Etl.Core.Tests.Sources;

public sealed class JsonRecordStreamTests
{
    private const string File = "in.json";

    private static async Task<CollectingOutput> ReadAsync(string json, string? recordPath = null, int bufferSize = 16)
    {
        var steps = recordPath is null ? [] : RecordPath.Parse(recordPath).Steps!;
        var output = new CollectingOutput();
        var stream = new JsonRecordStream(File, steps, recordPath, new NamePool(), bufferSize);
        await stream.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), output, _ => { }, CancellationToken.None);
        return output;
    }

    private static string Dump(CollectingOutput output) =>
        string.Join("\n", output.Records.Select(r => $"{r.Origin} {RecordJson.Serialize(r)}")
            .Concat(output.Rejections.Select(r => $"{r.Origin} rejected: {r.Reason} {r.Raw}")));

    [Fact]
    public async Task JsonRecordStream_EveryBufferSize_ReadsTheSameRecords()
    {
        const string json = """
            { "meta": { "items": [0], "note": "items" }, "skip": [[{"items": 1}], "x\"y"],
              "data": { "count": 3, "items": [ {"id": 1, "tags": ["a", {"b": null}]}, 7, {"id": 2, "name": "Zoë \u00e9"},
                                               {"id": 3, "nested": {"items": [1, 2]}} ], "after": {"page": 2} },
              "meta2": "tail" }
            """;
        var whole = Dump(await ReadAsync(json, "data.items", bufferSize: json.Length * 4));

        for (var size = 1; size <= 64; size++)
        {
            Assert.Equal(whole, Dump(await ReadAsync(json, "data.items", size)));
        }
        Assert.Equal("""
            in.json:data.items[0] {"id":1,"tags":["a",{"b":null}]}
            in.json:data.items[2] {"id":2,"name":"Zoë é"}
            in.json:data.items[3] {"id":3,"nested":{"items":[1,2]}}
            in.json:data.items[1] rejected: expected a JSON object in the array 7
            """.ReplaceLineEndings("\n"), whole);
    }

    [Fact]
    public async Task JsonRecordStream_TopLevelArray_OriginsAreArrayIndexes()
    {
        var output = await ReadAsync("""[{"id": 1}, {"id": 2}]""");

        Assert.Equal(["in.json:[0]", "in.json:[1]"], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task JsonRecordStream_EmptyArray_ReadsNothing()
    {
        var output = await ReadAsync("""{"data": [], "total": 0}""", "data");

        Assert.Empty(output.Records);
        Assert.Empty(output.Rejections);
    }

    [Fact]
    public async Task JsonRecordStream_IndexInPath_ReadsThatElementsArray()
    {
        var output = await ReadAsync("""{"pages": [{"rows": [{"id": 1}]}, {"rows": [{"id": 2}, {"id": 3}]}]}""", "pages[1].rows");

        Assert.Equal([2L, 3L], output.Values("id"));
    }

    [Fact]
    public async Task JsonRecordStream_EscapedPropertyName_MatchesThePath()
    {
        var output = await ReadAsync("""{"d\u0061ta": [{"id": 1}]}""", "data");

        Assert.Equal([1L], output.Values("id"));
    }

    [Fact]
    public async Task JsonRecordStream_ItemLargerThanTheBuffer_IsReadWhole()
    {
        var big = new string('x', 10_000);
        var output = await ReadAsync($$"""[{"id": 1, "text": "{{big}}"}, {"id": 2}]""", bufferSize: 64);

        Assert.Equal([big, null], output.Values("text"));
    }

    [Fact]
    public async Task JsonRecordStream_ObjectAtPath_IsOneRecordFromTheFile()
    {
        var output = await ReadAsync("""{"data": {"id": 1}, "more": [1, 2]}""", "data");

        Assert.Equal(["in.json"], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task JsonRecordStream_CutInsideAnItem_ThrowsWithLineColumnAndItem()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("[\n{\"id\": 1},\n{\"id\": 2},\n{\"id\": 3, \"na"));

        Assert.StartsWith("in.json:4:14: invalid JSON in item [2]: ", e.Message);
    }

    [Fact]
    public async Task JsonRecordStream_CutInsideAnItem_SendsTheItemsBeforeIt()
    {
        var output = new CollectingOutput();
        var stream = new JsonRecordStream(File, [], null, new NamePool(), 16);
        var bytes = Encoding.UTF8.GetBytes("[{\"id\": 1},\n{\"id\": 2},\n{\"id\": 3, \"na");

        await Assert.ThrowsAsync<InvalidDataException>(() => stream.ReadAsync(new MemoryStream(bytes), output, _ => { }, CancellationToken.None));

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task JsonRecordStream_InvalidJsonAfterTheArray_ThrowsWithItsLine()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("{\"data\": [{\"id\": 1}],\n\"meta\": {\"page\" 2}}", "data"));

        Assert.StartsWith("in.json:2:17: invalid JSON: ", e.Message);
    }

    [Fact]
    public async Task JsonRecordStream_ContentAfterTheDocument_IsInvalid()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("[{\"id\": 1}] [2]"));

        Assert.StartsWith("in.json:1:13: invalid JSON: ", e.Message);
    }

    [Fact]
    public async Task JsonRecordStream_EmptyFile_ThrowsSayingSo()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("  \n"));

        Assert.Equal("in.json: invalid JSON: the file is empty", e.Message);
    }

    [Fact]
    public async Task JsonRecordStream_PathThatEndsEarly_ThrowsNamingIt()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("""{"data": {"items": 3}}""", "data.items"));

        Assert.Equal("in.json: no array or object at recordPath 'data.items'", e.Message);
    }

    [Fact]
    public async Task JsonRecordStream_IndexPastTheEnd_ThrowsNamingThePath()
    {
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync("""{"pages": [[{"id": 1}]]}""", "pages[1]"));

        Assert.Equal("in.json: no array or object at recordPath 'pages[1]'", e.Message);
    }
}
