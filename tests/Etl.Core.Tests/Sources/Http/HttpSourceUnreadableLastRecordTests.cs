// End-to-end tests of cursor pagination from the last record (Stripe's starting_after) when that record does not decode:
// the cursor is still read from its fields that do, and when the cursor itself is what does not decode, the pages not
// requested are a request dead letter instead of a run that passes for complete.
using Etl.Core.Tests.TestSupport;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceUnreadableLastRecordTests
{
    private const string CustomerIds = """{ "customer_id": "id" }""";
    private static readonly byte[] Latin1 = [.. "\"M"u8, 0xFC, .. "ller\""u8];
    private static readonly byte[] LoneSurrogate = [.. "\"\\uDFAA\""u8];

    private static Task<HttpRun> RunAsync(SampleApiServer server, TestFolder temp, string cursorField) =>
        HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/customers", "recordPath": "data", "query": { "limit": "100" },
              "pagination": { "type": "cursor", "cursorFrom": "lastRecord", "cursorField": "{{cursorField}}", "param": "starting_after", "hasMorePath": "has_more" } }
            """, temp.Root, CustomerIds, maxFailedRecords: 10);

    [Theory]
    [InlineData("not UTF-8")]
    [InlineData("lone surrogate")]
    public async Task HttpSource_LastRecordOfAPageUndecodable_PagingGoesOnFromItsCursorField(string kind)
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { RawListedCustomerNames = new Dictionary<int, byte[]> { [100] = kind == "not UTF-8" ? Latin1 : LoneSurrogate } });
        using var temp = new TestFolder();

        var run = await RunAsync(server, temp, "id");

        var expected = Enumerable.Range(1, server.CustomerCount).Where(i => i != 100).Select(i => (long)i);
        Assert.Equal(expected, HttpTestRuns.ReadLongs(run.Sink, "customer_id").Order());
        Assert.Equal((server.CustomerCount + 99) / 100, server.Requests.Count);
        Assert.Equal((1L, 0L), (run.Result.Failed, run.Result.FailedRequests));
    }

    [Fact]
    public async Task HttpSource_LastRecordsCursorFieldUndecodable_PagesNotRequestedAreARequestDeadLetter()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { RawListedCustomerNames = new Dictionary<int, byte[]> { [100] = Latin1 } });
        using var temp = new TestFolder();

        var run = await RunAsync(server, temp, "name");

        Assert.Single(server.Requests);
        Assert.Equal(1L, run.Result.FailedRequests);
        var letter = Assert.Single(run.DeadLetters, d => d.GetProperty("stage").GetString() == "http");
        Assert.Equal($"{server.BaseAddress}customers?limit=100", letter.GetProperty("url").GetString());
        Assert.Contains("does not decode at cursorField 'name'", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
