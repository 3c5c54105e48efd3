// Tests of reading a large body's records back from its scratch copy: every item, in order, across buffer boundaries.
using System.Text;
using Etl.Records;
using Etl.Sources.Http;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.Http;

public sealed class SpilledRecordsTests
{
    private static async Task<List<object?>> ReadAllAsync(string body, string? recordPath)
    {
        var scan = new BodyScan(recordPath is null ? null : RecordPath.Parse(recordPath));
        var bytes = Encoding.UTF8.GetBytes(body);
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
}
