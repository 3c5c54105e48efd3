// End-to-end tests of the http source against the sample API (Kestrel on 127.0.0.1, port 0), through PipelineRunner to Parquet.
using System.Text;
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceTests
{
    private static string Orders(SampleApiServer server, int count, int concurrency, string extra = "") => $$"""
        {
          "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}",
          "values": { "id": { "from": 1, "to": {{count}} } }, "recordPath": "data",
          "concurrency": {{concurrency}}{{extra}}
        }
        """;

    [Fact]
    public async Task HttpSource_ThousandEndpoints_WritesEveryRecordOnce()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 1000, 50), temp.Root);

        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), HttpTestRuns.ReadLongs(run.Sink, "order_id").Order());
        Assert.Equal(1000, run.Result.Requests);
        Assert.Equal(1000, run.Result.Pages);
        Assert.Equal(0, run.Result.Retries);
    }

    [Fact]
    public async Task HttpSource_Concurrency_IsACeilingOnRequestsTheServerSees()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 20 });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 150, 5), temp.Root);

        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.InRange(server.MaxInFlight, 1, 5);
    }

    [Fact]
    public async Task HttpSource_ConnectionPool_OpensAtMostConcurrencyConnections()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 5 });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 400, 8), temp.Root);

        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.InRange(server.ConnectionCount, 1, 8);
    }

    [Fact]
    public async Task HttpSource_TransientFaults_EveryEndpointOnceInOutputOrDeadLetters()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            TransientFailureRate = 0.2,
            // A 204 is no fault: it is an answer, an empty page (HttpSourceStopConditionTests).
            Faults = [.. Enum.GetValues<FaultKind>().Except([FaultKind.NoContent])],
            RetryAfterSeconds = 0,
            SlowResponseMs = 5_000,
            AlwaysFailingIds = new HashSet<int> { 13, 77 },
            Seed = 3,
        });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(
            Orders(server, 300, 16, """, "timeoutSeconds": 0.5, "retry": { "maxAttempts": 4, "baseDelayMs": 10, "maxDelayMs": 100 }"""), temp.Root);

        var written = HttpTestRuns.ReadLongs(run.Sink, "order_id");
        var failed = run.DeadLetterUrls.Select(HttpTestRuns.IdOf).ToList();
        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(written.Count, written.Distinct().Count());
        Assert.Equal(failed.Count, failed.Distinct().Count());
        Assert.Empty(written.Intersect(failed));
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long)i), written.Concat(failed).Order());
        Assert.Equal(failed.Count, run.Result.FailedRequests);
        Assert.Contains(13, failed);
        Assert.Contains(77, failed);
        Assert.True(run.Result.Retries > 0);
    }

    [Fact]
    public async Task HttpSource_AlwaysFailingId_DeadLettersStatusAttemptsAndBody()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { AlwaysFailingIds = new HashSet<int> { 2 } });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 3, 2, """, "retry": { "maxAttempts": 3, "baseDelayMs": 1 }"""), temp.Root);

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal("http", letter.GetProperty("stage").GetString());
        Assert.Equal($"{server.BaseAddress}orders/2", letter.GetProperty("url").GetString());
        Assert.Equal(500, letter.GetProperty("status").GetInt32());
        Assert.Equal(3, letter.GetProperty("attempts").GetInt32());
        Assert.Equal("""{"error":"boom"}""", letter.GetProperty("body").GetString());
        Assert.Equal($"GET {server.BaseAddress}orders/2 failed after 3 attempts: 500 Internal Server Error", letter.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task HttpSource_FailedRequestsAboveTheAllowance_FailsWithExitCode3AndCommitsNothing()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { AlwaysFailingIds = new HashSet<int> { 2 } });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 5, 2, """, "retry": { "maxAttempts": 1 }"""), temp.Root, maxFailedRequests: 0);

        Assert.Equal(3, run.Result.ExitCode);
        Assert.Empty(HttpTestRuns.ReadLongs(run.Sink, "order_id"));
        Assert.Single(run.DeadLetters);
    }

    [Fact]
    public async Task HttpSource_RecordsOfEachRequest_CarryItsPlaceholderValues()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/customers/{id}/orders",
              "values": { "id": { "from": 1, "to": {{server.CustomerCount}} } }, "recordPath": "data", "concurrency": 20 }
            """, temp.Root, columns: """{ "order_id": "id", "customer": "customer.id", "requested": "$request.id" }""");

        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.Equal(HttpTestRuns.ReadLongs(run.Sink, "customer"), HttpTestRuns.ReadLongs(run.Sink, "requested"));
        Assert.Equal(1000, HttpTestRuns.ReadLongs(run.Sink, "order_id").Distinct().Count());
    }

    [Fact]
    public async Task HttpSource_EnvSecretInHeaderAndQuery_AppearsInNoFileTheRunWrites()
    {
        const string Token = "s3cret-Token-9d1f";
        Environment.SetEnvironmentVariable("ETL_HTTP_TEST_SECRET", Token);
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            RequiredBearerToken = Token,
            AlwaysFailingIds = new HashSet<int> { 4, 9 },
        });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 20 } },
              "recordPath": "data", "headers": { "Authorization": "Bearer ${env:ETL_HTTP_TEST_SECRET}" },
              "query": { "key": "${env:ETL_HTTP_TEST_SECRET}" }, "retry": { "maxAttempts": 2, "baseDelayMs": 1 } }
            """, temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(18, HttpTestRuns.ReadLongs(run.Sink, "order_id").Count);
        Assert.Equal(2, run.DeadLetters.Count);
        Assert.All(run.DeadLetterUrls, url => Assert.EndsWith("?key=***", url, StringComparison.Ordinal));
        var leaks = Directory.EnumerateFiles(temp.Root, "*", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f, Encoding.Latin1).Contains(Token, StringComparison.Ordinal)).ToList();
        Assert.Empty(leaks);
        Assert.DoesNotContain(Token, JsonSerializer.Serialize(run.Result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_RunTimeoutWhileRequestsHang_FailsAndCommitsNothing()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { LatencyMs = 600_000 });
        using var temp = new TestFolder();
        var spec = HttpTestRuns.Spec(Orders(server, 100, 4), temp.Root).Replace("\"name\": \"http-test\",", "\"name\": \"http-test\", \"timeoutSeconds\": 1,", StringComparison.Ordinal);

        var result = await new PipelineRunner().RunAsync(Etl.Spec.SpecLoader.Parse(spec, "test.json"), CancellationToken.None);

        Assert.Equal((RunStatus.Failed, "the run did not finish within timeoutSeconds (1s)"), (result.Status, result.Error));
        Assert.Empty(HttpTestRuns.ReadLongs(Path.Combine(temp.Root, "out"), "order_id"));
    }

    [Fact]
    public async Task HttpSource_IncrementalLastInQuery_SendsTheCursorOfThePreviousRun()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions());
        using var temp = new TestFolder();
        var source = $$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "recordPath": "data",
              "values": { "size": [100], "range": { "from": 1, "to": 1 } },
              "query": { "page_size": "{size}", "since": "${incremental.last}" },
              "pagination": { "type": "page", "maxPages": 2 }, "incremental": { "cursorField": "id" } }
            """;

        var first = await HttpTestRuns.RunAsync(source, temp.Root);
        var second = await HttpTestRuns.RunAsync(source, temp.Root);

        Assert.Equal((RunStatus.Succeeded, RunStatus.Succeeded), (first.Result.Status, second.Result.Status));
        Assert.Equal((200L, 0L), (first.Result.Written, second.Result.Written));
        Assert.Equal(
            ["/orders?page_size=100&since=&page=1", "/orders?page_size=100&since=&page=2", "/orders?page_size=100&since=200&page=1", "/orders?page_size=100&since=200&page=2"],
            server.Requests.OrderBy(r => r.ReceivedAt).Select(r => r.PathAndQuery));
    }
}
