// End-to-end tests of bodies in another charset than UTF-8 and of the JSON media types real APIs send: read as the server meant them.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceCharsetTests
{
    private const string Columns = """{ "order_id": "id", "name": "customer.name" }""";

    private static async Task<HttpRun> RunAsync(SampleApiOptions options, TestFolder temp)
    {
        await using var server = await SampleApiServer.StartAsync(options);
        return await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "query": { "page": "1", "page_size": "60" },
              "recordPath": "data", "retry": { "maxAttempts": 1 } }
            """, temp.Root, Columns);
    }

    private static List<string> Names(HttpRun run) => HttpTestRuns.ReadStrings(run.Sink, "name");

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public async Task HttpSource_UnicodeCharsetOtherThanUtf8_IsDecodedLikeUtf8(string charset)
    {
        using var utf8 = new TestFolder();
        using var temp = new TestFolder();
        var expected = Names(await RunAsync(new SampleApiOptions(), utf8));

        var run = await RunAsync(new SampleApiOptions { Charset = charset }, temp);

        Assert.Equal((RunStatus.Succeeded, (string?)null, 60L), (run.Result.Status, run.Result.Error, run.Result.Written));
        Assert.Equal(expected, Names(run));
    }

    [Fact]
    public async Task HttpSource_Latin1Body_KeepsItsAccentedLetters()
    {
        using var temp = new TestFolder();

        var run = await RunAsync(new SampleApiOptions { Charset = "iso-8859-1" }, temp);

        Assert.Equal((RunStatus.Succeeded, (string?)null, 60L), (run.Result.Status, run.Result.Error, run.Result.Written));
        var names = Names(run);
        Assert.Contains("Müller GmbH", names);
        Assert.Contains("Zoë \"Z\", Ltd", names);
        Assert.Contains("Ñandú S.A.", names);
    }

    [Theory]
    [InlineData("application/problem+json")]
    [InlineData("application/vnd.api+json")]
    [InlineData("text/json")]
    [InlineData("text/plain")]
    public async Task HttpSource_JsonBodyUnderAnotherMediaType_IsRead(string mediaType)
    {
        using var temp = new TestFolder();

        var run = await RunAsync(new SampleApiOptions { MediaType = mediaType }, temp);

        Assert.Equal((RunStatus.Succeeded, (string?)null, 60L), (run.Result.Status, run.Result.Error, run.Result.Written));
    }
}
