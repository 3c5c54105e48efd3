// End-to-end tests of next-page links to another origin (scheme, host or port): followed, but without the source's credentials.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceCrossOriginLinkTests
{
    private const string Token = "s3cr3t-b34r3r";

    // The client calls 127.0.0.1; with NextLinkHost the server's links name "localhost": the same server, another origin.
    private static Task<SampleApiServer> StartAsync(string? nextLinkHost) =>
        SampleApiServer.StartAsync(new SampleApiOptions { NextLinkHost = nextLinkHost });

    private static string Orders(SampleApiServer server, string auth) => $$"""
        { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/links", "query": { "page_size": "100", "status": "paid" },
          "recordPath": "data", "pagination": { "type": "nextLink", "path": "next" }, {{auth}} }
        """;

    [Fact]
    public async Task HttpSource_NextLinkToAnotherOrigin_IsFollowedWithoutTheAuthorizationHeader()
    {
        await using var server = await StartAsync("localhost");
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, $$""" "auth": { "type": "bearer", "token": "{{Token}}" } """), temp.Root);

        var requests = server.Requests.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.True(requests.Count > 1, "the first page links to a second one");
        Assert.Equal($"Bearer {Token}", requests[0].Authorization);
        Assert.All(requests.Skip(1), r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task HttpSource_NextLinkToTheSameOrigin_KeepsTheAuthorizationHeader()
    {
        await using var server = await StartAsync(null);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, $$""" "auth": { "type": "bearer", "token": "{{Token}}" } """), temp.Root);

        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.True(server.Requests.Count > 1, "the first page links to a second one");
        Assert.All(server.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
    }

    [Fact]
    public async Task HttpSource_NextLinkToAnotherOrigin_GetsNoOAuth2Token()
    {
        Environment.SetEnvironmentVariable("ETL_CROSS_ORIGIN_SECRET", "cl1ent-s3cret");
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            NextLinkHost = "localhost",
            OAuth2 = new OAuth2Server { ClientId = "etl", ClientSecret = "cl1ent-s3cret" },
        });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, $$"""
            "auth": { "type": "oauth2", "tokenUrl": "{{server.BaseAddress}}oauth/token", "clientId": "etl", "clientSecret": "${env:ETL_CROSS_ORIGIN_SECRET}" },
            "retry": { "maxAttempts": 1 }
            """), temp.Root);

        var pages = server.Requests.Where(r => r.PathAndQuery != OAuth2Server.TokenPath).OrderBy(r => r.ReceivedAt).ToList();
        Assert.StartsWith("Bearer ", pages[0].Authorization, StringComparison.Ordinal);
        Assert.All(pages.Skip(1), r => Assert.Null(r.Authorization));
        // The server wants a token on every page: the pages past the first are refused, and accounted for.
        Assert.Equal(pages.Count - 1, run.DeadLetters.Count);
    }
}
