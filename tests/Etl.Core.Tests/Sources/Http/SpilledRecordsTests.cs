// Tests of reading a large body's records back from its scratch copy: every item, in order, across buffer boundaries.
using System.Text;
using Etl.Records;
using Etl.Sources.Http;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.Http;

public sealed class SpilledRecordsTests
{
    private static Task<List<object?>> ReadAllAsync(string body, string? recordPath) => ReadAllAsync(Encoding.UTF8.GetBytes(body), recordPath);

    private static async Task<List<object?>> ReadAllAsync(byte[] bytes, string? recordPath)
    {
        var scan = new BodyScan(recordPath is null ? null : RecordPath.Parse(recordPath));
        scan.Feed(bytes);
        scan.Finish();
        using var spilled = new SpilledRecords(new MemoryStream(bytes), scan.ArrayStart, scan.ArrayEnd);
        var items = new List<object?>();
        await foreach (var run in spilled.ReadAsync(CancellationToken.None))
        {
            items.AddRange(run);
        }
        return items;
    }

    [Fact]
    public async Task SpilledRecords_ManyBuffersOfRecords_ReadsEachOnceInOrder()
    {
        var records = string.Join(",", Enumerable.Range(1, 20_000).Select(i => $$"""{"id": {{i}}, "name": "record {{i}}"}"""));

        var items = await ReadAllAsync($$"""{"data": [{{records}}], "next_cursor": "x"}""", "data");

        Assert.Equal(Enumerable.Range(1, 20_000).Select(i => (object?)(long)i), items.Select(r => ((Record)r!)["id"]));
    }

    [Fact]
    public async Task SpilledRecords_ItemLargerThanTheBuffer_IsReadWhole()
    {
        var large = new string('x', 300_000);

        var items = await ReadAllAsync($$"""[{"id": 1}, {"text": "{{large}}"}, 7]""", null);

        Assert.Equal(3, items.Count);
        Assert.Equal(large, ((Record)items[1]!)["text"]);
        Assert.Equal(7L, items[2]);
    }

    [Fact]
    public async Task SpilledRecords_ItemWithALoneSurrogateEscape_IsUnreadableAndTheOthersRead()
    {
        var items = await ReadAllAsync("""{"data": [{"id": 1}, {"id": 2, "name": "\uDFAA"}, {"id": 3}]}""", "data");

        Assert.Equal([1L, 3L], items.OfType<Record>().Select(r => r["id"]));
        var unreadable = Assert.IsType<UnreadableRecord>(items[1]);
        Assert.Equal("""{"id": 2, "name": "\uDFAA"}""", unreadable.Raw);
        Assert.StartsWith("invalid JSON: ", unreadable.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SpilledRecords_ItemThatIsNotUtf8_IsUnreadableAndTheOthersRead()
    {
        byte[] body = [.. """{"data": [{"id": 1}, {"name": "M"""u8, 0xFC, .. """ller"}, {"id": 3}]}"""u8];

        var items = await ReadAllAsync(body, "data");

        Assert.Equal([1L, 3L], items.OfType<Record>().Select(r => r["id"]));
        Assert.StartsWith("not UTF-8 text: byte 0xFC at offset 11", Assert.IsType<UnreadableRecord>(items[1]).Reason, StringComparison.Ordinal);
    }
}
