// End-to-end tests of OAuth2 client credentials against the sample API's token endpoint: one shared token, renewed, never leaked.
using System.Text;
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;
using Microsoft.Extensions.Logging;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceOAuth2Tests
{
    private const string ClientId = "etl-client";
    private const string Secret = "cl1ent-S3cret-77af";
    private const string SecretVariable = "ETL_OAUTH2_TEST_SECRET";

    private static string Orders(SampleApiServer server, int count, int concurrency, string auth = "", int maxAttempts = 3) => $$"""
        {
          "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}",
          "values": { "id": { "from": 1, "to": {{count}} } }, "recordPath": "data", "concurrency": {{concurrency}},
          "auth": { "type": "oauth2", "tokenUrl": "{{server.BaseAddress}}oauth/token", "clientId": "{{ClientId}}",
                    "clientSecret": "${env:{{SecretVariable}}}"{{auth}} },
          "retry": { "maxAttempts": {{maxAttempts}}, "baseDelayMs": 1 }
        }
        """;

    private static Task<SampleApiServer> StartAsync(OAuth2Server? oauth = null, int latencyMs = 0, IReadOnlySet<int>? failing = null)
    {
        Environment.SetEnvironmentVariable(SecretVariable, Secret);
        return SampleApiServer.StartAsync(new SampleApiOptions
        {
            LatencyMs = latencyMs,
            OAuth2 = oauth ?? new OAuth2Server { ClientId = ClientId, ClientSecret = Secret },
            AlwaysFailingIds = failing ?? new HashSet<int>(),
        });
    }

    private static int Unauthorized(SampleApiServer server) => server.Requests.Count(r => r.Status == 401);

    [Fact]
    public async Task HttpSource_OAuth2_SharesOneTokenAcrossEveryRequest()
    {
        await using var server = await StartAsync();
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 200, 20), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal(200, HttpTestRuns.ReadLongs(run.Sink, "order_id").Count);
        Assert.Equal((1, 1), (server.TokenRequests, server.TokensIssued));
    }

    [Fact]
    public async Task HttpSource_OAuth2TokensExpiringWithinTheRun_RenewsThemBeforeTheyExpire()
    {
        await using var server = await StartAsync(new OAuth2Server { ClientId = ClientId, ClientSecret = Secret, TokenLifetimeSeconds = 2 }, latencyMs: 25);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 400, 4), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Empty(run.DeadLetters);
        Assert.Equal(400, HttpTestRuns.ReadLongs(run.Sink, "order_id").Count);
        Assert.InRange(server.TokensIssued, 2, 100);
        // Renewed while the old token was still good; how many requests a loaded machine delays past the margin
        // (and so meet a 401, renew and retry) is timing, not behaviour.
        Assert.True(server.TokensRenewedBeforeExpiry >= 1, $"{server.TokensIssued} tokens, none renewed before expiry, {Unauthorized(server)} 401s");
    }

    [Fact]
    public async Task HttpSource_OAuth2TokenRejectedBeforeItsExpiry_RenewsOn401AndLosesNothing()
    {
        // The server says a token lasts an hour but honours it for half a second: only 401s tell the client.
        await using var server = await StartAsync(
            new OAuth2Server { ClientId = ClientId, ClientSecret = Secret, TokenLifetimeSeconds = 0.5, AdvertisedExpiresInSeconds = 3600 }, latencyMs: 20);
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 200, 4, maxAttempts: 1), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Empty(run.DeadLetters);
        Assert.Equal(200, HttpTestRuns.ReadLongs(run.Sink, "order_id").Count);
        Assert.InRange(server.TokensIssued, 2, 100);
        Assert.True(Unauthorized(server) > 0);
    }

    [Fact]
    public async Task HttpSource_OAuth2ClientAuthBasic_SendsTheCredentialsAsHttpBasicOnly()
    {
        await using var server = await StartAsync();
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 3, 1, auth: """, "clientAuth": "basic", "scope": "orders.read" """), temp.Root);

        var token = Assert.Single(server.Requests, r => r.PathAndQuery == OAuth2Server.TokenPath);
        Assert.Equal(RunStatus.Succeeded, run.Result.Status);
        Assert.StartsWith("Basic ", token.Authorization, StringComparison.Ordinal);
        Assert.Equal("grant_type=client_credentials&scope=orders.read", token.Body);
    }

    [Fact]
    public async Task HttpSource_OAuth2ClientAuthBody_SendsTheCredentialsInTheForm()
    {
        await using var server = await StartAsync();
        using var temp = new TestFolder();

        await HttpTestRuns.RunAsync(Orders(server, 1, 1, auth: """, "audience": "https://api.example.com" """), temp.Root);

        var token = Assert.Single(server.Requests, r => r.PathAndQuery == OAuth2Server.TokenPath);
        Assert.Null(token.Authorization);
        Assert.Equal($"grant_type=client_credentials&client_id={ClientId}&client_secret={Secret}&audience=https%3A%2F%2Fapi.example.com", token.Body);
    }

    [Fact]
    public async Task HttpSource_OAuth2TokenEndpointFailingAtFirst_RetriesItAndRuns()
    {
        await using var server = await StartAsync(new OAuth2Server { ClientId = ClientId, ClientSecret = Secret, FailingTokenRequests = 2 });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 10, 4), temp.Root);

        Assert.Equal((RunStatus.Succeeded, (string?)null), (run.Result.Status, run.Result.Error));
        Assert.Equal((3, 1), (server.TokenRequests, server.TokensIssued));
    }

    [Fact]
    public async Task HttpSource_OAuth2TokenEndpointFailingForGood_StopsTheRunWithExit1AndSaysWhy()
    {
        await using var server = await StartAsync(new OAuth2Server { ClientId = ClientId, ClientSecret = Secret, FailingTokenRequests = int.MaxValue });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 10, 4), temp.Root);

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Equal($"OAuth2 token request to {server.BaseAddress}oauth/token failed after 3 attempts: 503 Service Unavailable", run.Result.Error);
        Assert.Empty(HttpTestRuns.ReadLongs(run.Sink, "order_id"));
    }

    [Fact]
    public async Task HttpSource_OAuth2WrongSecret_StopsTheRunAfterOneAttemptNamingTheOAuthError()
    {
        await using var server = await StartAsync(new OAuth2Server { ClientId = ClientId, ClientSecret = "another-secret" });
        using var temp = new TestFolder();

        var run = await HttpTestRuns.RunAsync(Orders(server, 10, 4), temp.Root);

        Assert.Equal(1, run.Result.ExitCode);
        Assert.Equal($"OAuth2 token request to {server.BaseAddress}oauth/token failed after 1 attempt: 401 Unauthorized (invalid_client)", run.Result.Error);
    }

    [Fact]
    public async Task HttpSource_OAuth2_NeitherSecretNorTokenReachesFilesResultOrLogs()
    {
        await using var server = await StartAsync(
            new OAuth2Server { ClientId = ClientId, ClientSecret = Secret, TokenLifetimeSeconds = 0.3, AdvertisedExpiresInSeconds = 3600 },
            latencyMs: 10, failing: new HashSet<int> { 3, 8 });
        using var temp = new TestFolder();
        var log = new TextLog();

        var run = await HttpTestRuns.RunAsync(Orders(server, 100, 4), temp.Root, options: new RunOptions { Seed = 7, Logger = log });

        var tokens = server.Requests.Select(r => r.Authorization).OfType<string>().Where(a => a.StartsWith("Bearer ", StringComparison.Ordinal))
            .Select(a => a["Bearer ".Length..]).Distinct().ToList();
        string[] secrets = [Secret, .. tokens];
        var files = Directory.EnumerateFiles(temp.Root, "*", SearchOption.AllDirectories).Select(f => File.ReadAllText(f, Encoding.Latin1)).ToList();
        var seen = string.Join("\n", [.. files, JsonSerializer.Serialize(run.Result), log.Text]);
        Assert.Equal(2, run.DeadLetters.Count);
        Assert.NotEmpty(tokens);
        Assert.DoesNotContain(secrets, s => seen.Contains(s, StringComparison.Ordinal));
    }

    /// <summary>Every message the run logs, as one text.</summary>
    private sealed class TextLog : ILogger
    {
        private readonly StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_text)
            {
                _text.AppendLine(formatter(state, exception)).AppendLine(exception?.ToString());
            }
        }
    }
}
