// End-to-end tests of 2xx pages holding a record whose text does not decode (a lone surrogate escape, a byte that is not
// UTF-8): only that record is a dead letter, as in the JSON file sources; the rest of the page is written.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceUndecodableRecordTests
{
    private const string Columns = """{ "order_id": "id", "name": "customer.name" }""";
    private static readonly byte[] LoneSurrogate = [.. "\"\\uDFAA\""u8];
    private static readonly byte[] Latin1 = [.. "\"M"u8, 0xFC, .. "ller\""u8];

    private static async Task<(HttpRun Run, string Url)> RunAsync(TestFolder temp, Dictionary<int, byte[]> names)
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { RawCustomerNames = names, OrderCount = 5 });
        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "query": { "page": "1", "page_size": "5" },
              "recordPath": "data", "retry": { "maxAttempts": 2, "baseDelayMs": 1 } }
            """, temp.Root, Columns, maxFailedRecords: 10);
        return (run, $"{server.BaseAddress}orders?page=1&page_size=5");
    }

    [Fact]
    public async Task HttpSource_RecordWithALoneSurrogateEscape_IsTheOnlyDeadLetterOfItsPage()
    {
        using var temp = new TestFolder();

        var (run, _) = await RunAsync(temp, new() { [2] = LoneSurrogate });

        Assert.Equal((RunStatus.Succeeded, 4L, 1L), (run.Result.Status, run.Result.Written, run.Result.Failed));
        Assert.Equal([1L, 3L, 4L, 5L], HttpTestRuns.ReadLongs(run.Sink, "order_id"));
    }

    [Fact]
    public async Task HttpSource_RecordWithALoneSurrogateEscape_DeadLetterNamesThePageAndTheRecordIndex()
    {
        using var temp = new TestFolder();

        var (run, url) = await RunAsync(temp, new() { [2] = LoneSurrogate });

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal(("source", $"{url} [1]"), (letter.GetProperty("stage").GetString(), letter.GetProperty("origin").GetString()));
        Assert.StartsWith("invalid JSON: ", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"name\":\"\\uDFAA\"", letter.GetProperty("raw").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_RecordThatIsNotUtf8_IsADeadLetterNotDecodedWithReplacementCharacters()
    {
        using var temp = new TestFolder();

        var (run, url) = await RunAsync(temp, new() { [4] = Latin1 });

        Assert.Equal([1L, 2L, 3L, 5L], HttpTestRuns.ReadLongs(run.Sink, "order_id"));
        Assert.DoesNotContain(HttpTestRuns.ReadStrings(run.Sink, "name"), n => n.Contains('\uFFFD', StringComparison.Ordinal));
        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal($"{url} [3]", letter.GetProperty("origin").GetString());
        Assert.StartsWith("not UTF-8 text: byte 0xFC at offset ", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_RecordThatIsNotUtf8_ReasonSpeaksOfTheResponseNotAFile()
    {
        using var temp = new TestFolder();

        var (run, _) = await RunAsync(temp, new() { [4] = Latin1 });

        var reason = Assert.Single(run.DeadLetters).GetProperty("reason").GetString();
        Assert.EndsWith($"({Utf8Validity.ResponseRemedy})", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_LongValueThatIsNotUtf8_IsADeadLetterOfItsRecordOnly()
    {
        using var temp = new TestFolder();
        byte[] longName = [.. "\""u8, .. Enumerable.Repeat((byte)'a', 200), 0xFC, .. "\""u8];

        var (run, url) = await RunAsync(temp, new() { [4] = longName });

        Assert.Equal([1L, 2L, 3L, 5L], HttpTestRuns.ReadLongs(run.Sink, "order_id"));
        Assert.Equal($"{url} [3]", Assert.Single(run.DeadLetters).GetProperty("origin").GetString());
    }

    [Fact]
    public async Task HttpSource_UndecodableRecord_CostsNoRetry()
    {
        using var temp = new TestFolder();

        var (run, _) = await RunAsync(temp, new() { [2] = LoneSurrogate });

        Assert.Equal((1L, 0L), (run.Result.Requests, run.Result.Retries));
    }

    [Fact]
    public async Task HttpSource_UndecodableValueOutsideTheRecords_FailsTheRequestWithWhy()
    {
        using var temp = new TestFolder();
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { RawCustomerNames = new Dictionary<int, byte[]> { [1] = LoneSurrogate } });

        // recordPath "data.items": the undecodable name is in "data", around the records.
        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/1", "recordPath": "data.items", "retry": { "maxAttempts": 1 } }
            """, temp.Root, """{ "order_id": "sku" }""");

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal(JsonValueKind.Number, letter.GetProperty("status").ValueKind);
        Assert.StartsWith($"GET {server.BaseAddress}orders/1 failed after 1 attempt: the body is not valid JSON: ",
            letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
