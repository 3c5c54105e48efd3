// End-to-end tests of an OAuth2 token URL that redirects: followed on the same origin with the form and the client's
// credentials, refused (and the secret kept) towards another origin, an http URL or past the redirect limit.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceOAuth2RedirectTests
{
    private const string ClientId = "etl-client";
    private const string Secret = "r3dir3ct-S3cret-19cd";
    private const string SecretVariable = "ETL_OAUTH2_REDIRECT_TEST_SECRET";
    private const string MovedPath = "/auth/old-token";

    static HttpSourceOAuth2RedirectTests() => Environment.SetEnvironmentVariable(SecretVariable, Secret);

    private static OAuth2Server Issuer => new() { ClientId = ClientId, ClientSecret = Secret };

    // The spec names the old token URL; the server answers it with a redirect to /oauth/token (or to another server).
    private static string Orders(SampleApiServer server, string clientAuth = "body") => $$"""
        {
          "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}",
          "values": { "id": { "from": 1, "to": 5 } }, "recordPath": "data",
          "auth": { "type": "oauth2", "tokenUrl": "{{server.BaseAddress}}{{MovedPath[1..]}}", "clientId": "{{ClientId}}",
                    "clientSecret": "${env:{{SecretVariable}}}", "clientAuth": "{{clientAuth}}" },
          "retry": { "maxAttempts": 2, "baseDelayMs": 1 }
        }
        """;

    private static Task<SampleApiServer> StartAsync(int status, int redirects = 1, Uri? to = null) => SampleApiServer.StartAsync(new SampleApiOptions
    {
        OAuth2 = Issuer,
        FirstFaults = [.. Enumerable.Repeat(FaultKind.Redirect, redirects)],
        RedirectStatus = status,
        RedirectPath = redirects == 1 ? OAuth2Server.TokenPath : MovedPath,
        RedirectTo = to,
    });

    private static List<RequestLog> InOrder(SampleApiServer server) => [.. server.Requests.OrderBy(r => r.ReceivedAt)];

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task HttpSource_TokenUrlRedirectingOnTheSameOrigin_PostsTheFormAgainThereAndGetsAToken(int status)
    {
        await using var server = await StartAsync(status);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null, 5L), (run.Result.Status, run.Result.Error, run.Result.Written));
        var (moved, token) = (InOrder(server)[0], InOrder(server)[1]);
        Assert.Equal(("POST", status, "POST", OAuth2Server.TokenPath), (moved.Method, moved.Status, token.Method, token.PathAndQuery));
        Assert.Equal(moved.Body, token.Body);
        Assert.Equal(1, server.TokensIssued);
    }

    [Fact]
    public async Task HttpSource_TokenUrlRedirectingWithBasicClientAuth_SendsTheCredentialsToTheSameOrigin()
    {
        await using var server = await StartAsync(307);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, clientAuth: "basic"), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.StartsWith("Basic ", InOrder(server)[1].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpSource_TokenUrlAnswering303_IsFollowedWithAGetWithoutTheForm()
    {
        await using var server = await StartAsync(303);
        using var temp = new TestFolder();

        await HttpTestRuns.RunAsync(Orders(server), temp.Root);

        var followed = InOrder(server)[1];
        Assert.Equal(("GET", OAuth2Server.TokenPath, (string?)null), (followed.Method, followed.PathAndQuery, followed.Body));
    }

    [Theory]
    [InlineData("body")]
    [InlineData("basic")]
    public async Task HttpSource_TokenUrlRedirectingToAnotherOrigin_IsRefusedWithoutSendingTheSecret(string clientAuth)
    {
        await using var other = await SampleApiServer.StartAsync(new SampleApiOptions { OAuth2 = Issuer });
        await using var server = await StartAsync(307, to: other.BaseAddress);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, clientAuth), temp.Root);

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Empty(other.Requests);
        Assert.Equal($"OAuth2 token request to {server.BaseAddress}{MovedPath[1..]} failed after 1 attempt: redirect to another origin refused "
            + $"(the client credentials go only to the token URL's origin): {other.BaseAddress}oauth/token; set tokenUrl to it", run.Result.Error);
    }

    [Fact]
    public async Task HttpSource_TokenUrlRedirectingMoreThanTenTimes_FailsSayingSo()
    {
        await using var server = await StartAsync(307, redirects: 11);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server), temp.Root);

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Contains("too many redirects (more than 10)", run.Result.Error, StringComparison.Ordinal);
        Assert.Equal(11, server.Requests.Count(r => r.Status == 307));
    }
}
