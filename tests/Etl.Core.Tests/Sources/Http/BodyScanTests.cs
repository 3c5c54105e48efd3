// Tests of the check a large body gets as it streams in: valid to its last byte, where its records array lies, and
// everything around that array kept as a small document, however the body is cut into chunks.
using System.Text;
using System.Text.Json;
using Etl.Records;
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class BodyScanTests
{
    private static BodyScan Scan(string body, string? recordPath, int chunk = int.MaxValue)
    {
        var scan = new BodyScan(recordPath is null ? null : RecordPath.Parse(recordPath));
        var bytes = Encoding.UTF8.GetBytes(body);
        for (var at = 0; at < bytes.Length; at += chunk)
        {
            scan.Feed(bytes.AsSpan(at, Math.Min(chunk, bytes.Length - at)));
        }
        scan.Finish();
        return scan;
    }

    private static string Envelope(BodyScan scan) => Encoding.UTF8.GetString(scan.Envelope.Span);

    private static string Array(string body, BodyScan scan) => body[(int)scan.ArrayStart..((int)scan.ArrayEnd + 1)];

    [Fact]
    public void BodyScan_CursorAfterTheRecords_KeepsItInTheEnvelope()
    {
        const string body = """{"data": [{"id": 1}, {"id": 2}], "next_cursor": "2"}""";

        var scan = Scan(body, "data");

        Assert.Equal("""{"data": [], "next_cursor": "2"}""", Envelope(scan));
        Assert.Equal("""[{"id": 1}, {"id": 2}]""", Array(body, scan));
    }

    [Fact]
    public void BodyScan_FedOneByteAtATime_FindsWhatOneChunkFinds()
    {
        const string body = """{"meta": {"data": [9]}, "data": [{"id": 1, "tags": ["a", "b"]}, {"id": 2}], "total": 2}""";

        var whole = Scan(body, "data");
        var bytes = Scan(body, "data", chunk: 1);

        Assert.Equal((whole.ArrayStart, whole.ArrayEnd, Envelope(whole)), (bytes.ArrayStart, bytes.ArrayEnd, Envelope(bytes)));
        Assert.Equal("""[{"id": 1, "tags": ["a", "b"]}, {"id": 2}]""", Array(body, bytes));
    }

    [Fact]
    public void BodyScan_NestedRecordPath_KeepsTheSiblingsOfTheArray()
    {
        const string body = """{"data": {"orders": {"nodes": [{"id": 1}], "pageInfo": {"endCursor": "c1", "hasNextPage": true}}}}""";

        var scan = Scan(body, "data.orders.nodes", chunk: 7);

        Assert.Equal("""{"data": {"orders": {"nodes": [], "pageInfo": {"endCursor": "c1", "hasNextPage": true}}}}""", Envelope(scan));
        Assert.Equal("""[{"id": 1}]""", Array(body, scan));
    }

    [Fact]
    public void BodyScan_NoRecordPath_TakesTheTopLevelArray()
    {
        const string body = """[{"id": 1}, {"id": 2}]""";

        var scan = Scan(body, null, chunk: 5);

        Assert.Equal((0L, (long)body.Length - 1, "[]"), (scan.ArrayStart, scan.ArrayEnd, Envelope(scan)));
    }

    [Theory]
    [InlineData("""{"data": {"id": 1}}""")]
    [InlineData("""{"data": null}""")]
    [InlineData("""{"items": [{"id": 1}]}""")]
    public void BodyScan_NoArrayAtRecordPath_KeepsTheWholeBody(string body)
    {
        var scan = Scan(body, "data", chunk: 3);

        Assert.Equal((-1L, body), (scan.ArrayStart, Envelope(scan)));
    }

    [Theory]
    [InlineData("""{"data": [{"id": 1}, {"id": 2}], "next": null!""")]
    [InlineData("""{"data": [{"id": 1}, {"id": """)]
    [InlineData("""{"data": [{"id": 1}]} {""")]
    [InlineData("""  """)]
    public void BodyScan_BrokenBody_ThrowsByTheEnd(string body) =>
        Assert.ThrowsAny<JsonException>(() => Scan(body, "data", chunk: 4));

    [Theory]
    [InlineData("""{"data": [{"id": 1},]}""")]
    [InlineData("""{"data": [{"id": 1}]} // a note""")]
    public void BodyScan_TrailingCommaOrComment_IsNotJson(string body)
    {
        Assert.ThrowsAny<JsonException>(() => Scan(body, "data"));
    }
}
