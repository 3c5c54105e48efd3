// End-to-end tests of redirects: followed by the source itself, with credentials only on the same origin, methods as browsers do.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceRedirectTests
{
    private const string Token = "s3cr3t-b34r3r";
    private const string SecretVariable = "ETL_REDIRECT_TEST_SECRET";
    private const string Secret = "h1dd3n-v4lu3";

    static HttpSourceRedirectTests() => Environment.SetEnvironmentVariable(SecretVariable, Secret);

    // A bearer token, an API key, a cookie and a header holding a secret are credentials; X-Trace is not.
    private static string Orders(SampleApiServer server) => $$"""
        { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders", "query": { "page": "1", "page_size": "10" },
          "recordPath": "data", "auth": { "type": "apiKey", "name": "X-Api-Key", "value": "k3y" },
          "headers": { "Authorization": "Bearer {{Token}}", "X-Secret": "${env:{{SecretVariable}}}", "Cookie": "s=1", "X-Trace": "t1" } }
        """;

    private static string Search(SampleApiServer server) => $$"""
        { "type": "http", "baseUrl": "{{server.BaseAddress}}", "method": "post", "path": "/search",
          "body": { "query": "status:paid", "size": 10 }, "recordPath": "data" }
        """;

    [Fact]
    public async Task HttpSource_RedirectToTheSameOrigin_KeepsTheCredentials()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { FirstFaults = [FaultKind.Redirect] });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server), temp.Root);

        var requests = server.Requests.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal((RunStatus.Succeeded, (string?)null, 10L), (run.Result.Status, run.Result.Error, run.Result.Written));
        Assert.Equal([302, 200], requests.Select(r => r.Status));
        Assert.Equal(requests[0].PathAndQuery, requests[1].PathAndQuery);
        Assert.All(requests, r => Assert.Equal(
            ("k3y", $"Bearer {Token}", Secret, "s=1", "t1"),
            (r.Headers["X-Api-Key"], r.Headers["Authorization"], r.Headers["X-Secret"], r.Headers["Cookie"], r.Headers["X-Trace"])));
    }

    [Fact]
    public async Task HttpSource_RedirectToAnotherOrigin_DropsTheApiKeyBearerCookieAndSecretHeaders()
    {
        await using var other = await SampleApiServer.StartAsync(new SampleApiOptions());
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { FirstFaults = [FaultKind.Redirect], RedirectTo = other.BaseAddress });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null, 10L), (run.Result.Status, run.Result.Error, run.Result.Written));
        Assert.Equal("k3y", server.Requests.Single().Headers["X-Api-Key"]);
        var arrived = other.Requests.Single().Headers;
        Assert.Equal("t1", arrived["X-Trace"]);
        Assert.Equal([], new[] { "X-Api-Key", "Authorization", "X-Secret", "Cookie" }.Where(arrived.ContainsKey));
    }

    [Fact]
    public async Task HttpSource_303AfterPost_FollowsWithGetAndNoBody()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            FirstFaults = [FaultKind.Redirect],
            RedirectStatus = 303,
            RedirectPath = "/orders",
        });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Search(server), temp.Root);

        var requests = server.Requests.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal([("POST", "/search", 303), ("GET", "/orders", 200)], requests.Select(r => (r.Method, r.PathAndQuery, r.Status)));
        Assert.Null(requests[1].Body);
        Assert.False(requests[1].Headers.ContainsKey("Content-Type"));
    }

    [Fact]
    public async Task HttpSource_307AfterPost_RepeatsThePostWithItsBody()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { FirstFaults = [FaultKind.Redirect], RedirectStatus = 307 });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Search(server), temp.Root);

        var requests = server.Requests.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal([("POST", 307), ("POST", 200)], requests.Select(r => (r.Method, r.Status)));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Contains("status:paid", requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_RedirectLoop_DeadLettersTooManyRedirectsWithTheLastUrlRedacted()
    {
        // Every answer redirects to the same URL, whose query holds the API key: a loop.
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { TransientFailureRate = 1, Faults = [FaultKind.Redirect] });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders",
              "auth": { "type": "apiKey", "name": "key", "value": "${env:{{SecretVariable}}}", "in": "query" } }
            """, temp.Root);

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal(11, server.Requests.Count);
        Assert.Equal((1L, 0L, 0L), (run.Result.FailedRequests, run.Result.Read, run.Result.Written));
        Assert.Equal((302, 11), (letter.GetProperty("status").GetInt32(), letter.GetProperty("attempts").GetInt32()));
        Assert.Equal($"GET {server.BaseAddress}orders?key=*** failed after 11 attempts: too many redirects (more than 10); "
            + $"the last one pointed to {server.BaseAddress}orders?key=***", letter.GetProperty("reason").GetString());
        Assert.DoesNotContain(Secret, letter.GetRawText(), StringComparison.Ordinal);
    }
}
