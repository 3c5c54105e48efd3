// The one OAuth2 client-credentials token of a source: fetched on first use, renewed before it expires or after a 401, shared by every request.
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Etl.Runtime;

namespace Etl.Sources.Http;

internal sealed class OAuth2Tokens(HttpAuthSpec auth, HttpClient client, HttpResilience resilience, RunContext run) : IDisposable
{
    /// <summary>A token is renewed this long before it expires at most, so requests in flight do not carry a dying token.</summary>
    public static readonly TimeSpan RenewMargin = TimeSpan.FromSeconds(60);

    /// <summary>For short-lived tokens the margin is this share of the lifetime instead (a 10 s token is renewed after 8 s).</summary>
    public const double RenewMarginShare = 0.2;

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private readonly Uri _tokenUrl = new(auth.TokenUrl!);
    private Token? _current;

    /// <summary>Tokens fetched so far.</summary>
    public int Fetched { get; private set; }

    /// <summary>The current token, fetched first when there is none or it is about to expire.</summary>
    public ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        return current is not null && !current.Due(run.Time) ? ValueTask.FromResult(current.Value) : RenewAsync(current?.Value, cancellationToken);
    }

    /// <summary>A token other than <paramref name="stale"/>: the one another request renewed meanwhile, or a new one.</summary>
    public async ValueTask<string> RenewAsync(string? stale, CancellationToken cancellationToken)
    {
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            // Many requests find the token due at once: the first renews it, the others take what it got.
            var current = _current;
            if (current is not null && current.Value != stale && !current.Due(run.Time))
            {
                return current.Value;
            }
            current = await FetchAsync(cancellationToken);
            Volatile.Write(ref _current, current);
            return current.Value;
        }
        finally
        {
            _renewing.Release();
        }
    }

    private async Task<Token> FetchAsync(CancellationToken cancellationToken)
    {
        var attempts = 0;
        Token? token = null;
        var url = run.Secrets.Redact(_tokenUrl.ToString());
        HttpAttempt last;
        try
        {
            last = await resilience.Retry.ExecuteAsync(async ct =>
            {
                attempts++;
                // The lifetime counts from when the request left, not when the answer came: the server's clock started
                // somewhere in between, so a slow answer does not make the client think the token lives longer than it does.
                var sent = run.Time.GetTimestamp();
                var attempt = await AttemptAsync(ct);
                token = attempt.Problem == BodyProblem.None && attempt.Response.IsSuccessStatusCode ? Read(attempt.Body, sent) : null;
                return attempt;
            }, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw Failed(url, attempts, HttpSpecErrors.Exception(e, resilience.AttemptTimeout));
        }
        using (last)
        {
            if (token is null)
            {
                throw Failed(url, attempts, last.Error ?? Describe(last));
            }
        }
        Fetched++;
        run.Secrets.Add(token.Value);
        return token;
    }

    /// <summary>One attempt: the token request, following its redirects as <see cref="TokenRedirect"/> says.</summary>
    private async ValueTask<HttpAttempt> AttemptAsync(CancellationToken ct)
    {
        var (url, method) = (_tokenUrl, HttpMethod.Post);
        for (var redirects = 0; ; redirects++)
        {
            var response = await SendAsync(url, method, ct);
            var next = TokenRedirect.Next(_tokenUrl, url, method, response, redirects, out var refusal);
            if (next is not { } hop)
            {
                return refusal is null ? await ReadAsync(response, ct) : new HttpAttempt(response, [], null, BodyProblem.None, refusal);
            }
            response.Dispose();
            (url, method) = hop;
        }
    }

    /// <summary>The token request to <paramref name="url"/>: a POST of the form, or the GET a 303 asks for (without the
    /// form); the client's credentials go only to the token URL's origin, as <see cref="TokenRedirect"/> ensures.</summary>
    private async Task<HttpResponseMessage> SendAsync(Uri url, HttpMethod method, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(method, url);
        if (method == HttpMethod.Post)
        {
            message.Content = new FormUrlEncodedContent(Form());
        }
        if (auth.ClientCredentials is { } credentials)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
        return await resilience.Timeout.ExecuteAsync(
            async t => await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, t), ct);
    }

    private async ValueTask<HttpAttempt> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            return new HttpAttempt(response, body, null, BodyProblem.None, null);
        }
        // A 2xx that is not a token (an HTML page from a proxy, a cut body) is retried like any bad body.
        var problem = Read(body, 0) is null ? BodyProblem.Invalid : BodyProblem.None;
        return new HttpAttempt(response, body, null, problem, problem == BodyProblem.None ? null : HttpSpecErrors.TokenMissing("access_token"));
    }

    private List<KeyValuePair<string, string>> Form()
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (auth.ClientAuth == OAuth2ClientAuth.Body)
        {
            form.Add(new("client_id", auth.ClientId!));
            form.Add(new("client_secret", auth.ClientSecret!));
        }
        if (!string.IsNullOrEmpty(auth.Scope))
        {
            form.Add(new("scope", auth.Scope));
        }
        if (!string.IsNullOrEmpty(auth.Audience))
        {
            form.Add(new("audience", auth.Audience));
        }
        return form;
    }

    /// <summary>The token in an RFC 6749 section 5.1 answer asked for at <paramref name="sent"/>; null when there is none.</summary>
    private Token? Read(byte[] body, long sent)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("access_token", out var value)
                || value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                return null;
            }
            // expires_in is a number, though some servers send it as a string; without it the token is kept until a 401.
            double? lifetime = root.TryGetProperty("expires_in", out var e) && e.ValueKind switch
            {
                JsonValueKind.Number => e.TryGetDouble(out var n) ? n : -1,
                JsonValueKind.String => double.TryParse(e.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : -1,
                _ => -1,
            } is var seconds and > 0 ? seconds : null;
            return new Token(text, lifetime is { } s ? sent + Ticks(RenewAfter(TimeSpan.FromSeconds(s))) : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>When to renew a token that lives <paramref name="lifetime"/>: before it expires, by the margin.</summary>
    internal static TimeSpan RenewAfter(TimeSpan lifetime)
    {
        var margin = TimeSpan.FromTicks(Math.Min(RenewMargin.Ticks, (long)(lifetime.Ticks * RenewMarginShare)));
        return lifetime - margin;
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * run.Time.TimestampFrequency);

    private static string Describe(HttpAttempt attempt)
    {
        var status = HttpSpecErrors.Status(attempt.Response.StatusCode, attempt.Response.ReasonPhrase);
        // RFC 6749 section 5.2: a 400 or 401 names what is wrong in "error" (invalid_client, invalid_scope...);
        // the description may echo input, so it is left out.
        return (int)attempt.Response.StatusCode is 400 or 401 && OAuthError(attempt.Body) is { } error ? $"{status} ({error})" : status;
    }

    private static string? OAuthError(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? e.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private OAuth2TokenException Failed(string url, int attempts, string what) =>
        new(run.Secrets.Redact(HttpSpecErrors.TokenFailed(url, attempts, what)));

    public void Dispose() => _renewing.Dispose();

    private sealed record Token(string Value, long? RenewAt)
    {
        public bool Due(TimeProvider time) => RenewAt is { } at && time.GetTimestamp() >= at;
    }
}
