// End-to-end tests of 2xx answers whose body is not the JSON expected: retried like a 5xx, dead-lettered only when the attempts are spent.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceInvalidBodyTests
{
    private static string Orders(SampleApiServer server, int count, string retry) => $$"""
        {
          "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}",
          "values": { "id": { "from": 1, "to": {{count}} } }, "recordPath": "data", "concurrency": 8,
          "timeoutSeconds": 0.5, "retry": {{retry}}
        }
        """;

    private static Task<SampleApiServer> AlwaysAsync(FaultKind fault) =>
        SampleApiServer.StartAsync(new SampleApiOptions { TransientFailureRate = 1, Faults = [fault] });

    [Theory]
    [InlineData(FaultKind.MalformedJson)]
    [InlineData(FaultKind.TruncatedJson)]
    [InlineData(FaultKind.EmptyBody)]
    [InlineData(FaultKind.HtmlErrorPage)]
    public async Task HttpSource_InvalidBodyEveryTime_DeadLettersAfterEveryAttempt(FaultKind fault)
    {
        await using var server = await AlwaysAsync(fault);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 1, """{ "maxAttempts": 3, "baseDelayMs": 1 }"""), temp.Root);

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal((200, 3), (letter.GetProperty("status").GetInt32(), letter.GetProperty("attempts").GetInt32()));
        Assert.Equal(3, server.TotalRequests);
    }

    [Fact]
    public async Task HttpSource_MalformedJsonEveryTime_DeadLetterHoldsTheLastBodyAndWhy()
    {
        await using var server = await AlwaysAsync(FaultKind.MalformedJson);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 1, """{ "maxAttempts": 2, "baseDelayMs": 1 }"""), temp.Root);

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal("""{"data": [1, 2,""", letter.GetProperty("body").GetString());
        Assert.StartsWith($"GET {server.BaseAddress}orders/1 failed after 2 attempts: the body is not valid JSON: ",
            letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_EmptyBodyEveryTime_DeadLetterSaysTheBodyIsEmpty()
    {
        await using var server = await AlwaysAsync(FaultKind.EmptyBody);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 1, """{ "maxAttempts": 2, "baseDelayMs": 1 }"""), temp.Root);

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal($"GET {server.BaseAddress}orders/1 failed after 2 attempts: the body is empty", letter.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task HttpSource_OnInvalidBodyFail_DeadLettersAfterOneAttempt()
    {
        await using var server = await AlwaysAsync(FaultKind.HtmlErrorPage);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 1, """{ "maxAttempts": 5, "baseDelayMs": 1, "onInvalidBody": "fail" }"""), temp.Root);

        Assert.Equal(1, Assert.Single(run.DeadLetters).GetProperty("attempts").GetInt32());
        Assert.Equal(1, server.TotalRequests);
    }

    [Fact]
    public async Task HttpSource_MissingRecordPath_DeadLettersAfterOneAttempt()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""{ "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/1", "recordPath": "items" }""", temp.Root);

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal($"GET {server.BaseAddress}orders/1 failed after 1 attempt: no array or object at recordPath 'items'", letter.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task HttpSource_MissingRecordPathWithOnMissingRecordsRetry_SpendsEveryAttempt()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/1", "recordPath": "items",
              "retry": { "maxAttempts": 3, "baseDelayMs": 1, "onMissingRecords": "retry" } }
            """, temp.Root);

        Assert.Equal(3, Assert.Single(run.DeadLetters).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task HttpSource_MixOfEveryFault_LosesNothingARetryCouldSave()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            TransientFailureRate = 0.3,
            // A redirect is followed, not retried (HttpSourceRedirectTests); a 204 is an answer, an empty page.
            Faults = [.. Enum.GetValues<FaultKind>().Except([FaultKind.Redirect, FaultKind.NoContent])],
            RetryAfterSeconds = 0,
            SlowResponseMs = 2_000,
            Seed = 11,
        });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 300, """{ "maxAttempts": 15, "baseDelayMs": 1, "maxDelayMs": 20 }"""), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Empty(run.DeadLetters);
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal(run.Result.Requests, 300 + run.Result.Retries);
    }
}
