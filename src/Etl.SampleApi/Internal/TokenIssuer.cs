// Issues and checks the sample API's OAuth2 tokens: POST /oauth/token, then Authorization: Bearer <token> until it expires.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Etl.SampleApi.Internal;

internal sealed class TokenIssuer(OAuth2Server options, TimeProvider time)
{
    private const string BearerPrefix = "Bearer ";
    private const string BasicPrefix = "Basic ";

    private readonly ConcurrentDictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private int _requests;
    private int _issued;
    private int _renewedEarly;
    private long _latestExpiry;

    /// <summary>Token requests received, answered or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Tokens issued.</summary>
    public int Issued => Volatile.Read(ref _issued);

    /// <summary>Tokens issued while the one issued before was still honoured: renewals ahead of expiry.</summary>
    public int RenewedBeforeExpiry => Volatile.Read(ref _renewedEarly);

    public static bool IsTokenRequest(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(OAuth2Server.TokenPath, StringComparison.Ordinal);

    public Task IssueAsync(HttpContext context, byte[]? body)
    {
        if (Interlocked.Increment(ref _requests) <= options.FailingTokenRequests)
            return ErrorResponses.ServiceUnavailableAsync(context, "0");
        var form = QueryHelpers.ParseQuery(body is null ? "" : Encoding.UTF8.GetString(body));
        if (form.TryGetValue("grant_type", out var grant) ? grant.ToString() != "client_credentials" : true)
            return OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "unsupported_grant_type");
        var (id, secret) = Credentials(context.Request, form);
        if (id != options.ClientId || secret != options.ClientSecret)
            return OAuthErrorAsync(context, StatusCodes.Status401Unauthorized, "invalid_client");
        if (options.RequiredScope is { } scope && (!form.TryGetValue("scope", out var asked) || asked.ToString() != scope))
            return OAuthErrorAsync(context, StatusCodes.Status400BadRequest, "invalid_scope");
        var token = $"tok-{Interlocked.Increment(ref _issued)}-{Guid.NewGuid():N}";
        var now = time.GetTimestamp();
        if (now < Interlocked.Read(ref _latestExpiry))
            Interlocked.Increment(ref _renewedEarly);
        var expiry = now + (long)(options.TokenLifetimeSeconds * time.TimestampFrequency);
        _expiries[token] = expiry;
        Interlocked.Exchange(ref _latestExpiry, expiry);
        var expiresIn = options.AdvertisedExpiresInSeconds ?? (int)Math.Ceiling(options.TokenLifetimeSeconds);
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, (token, expiresIn), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", state.token);
            writer.WriteString("token_type", "Bearer");
            writer.WriteNumber("expires_in", state.expiresIn);
            writer.WriteEndObject();
        });
    }

    /// <summary>Whether the request carries a token this issuer gave out and that has not expired.</summary>
    public bool Admits(HttpRequest request)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            return false;
        return _expiries.TryGetValue(value[BearerPrefix.Length..], out var expiry) && time.GetTimestamp() < expiry;
    }

    private static (string? Id, string? Secret) Credentials(HttpRequest request, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith(BasicPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[BasicPrefix.Length..])).Split(':', 2);
            return pair.Length == 2 ? (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1])) : (null, null);
        }
        return (form.TryGetValue("client_id", out var id) ? id.ToString() : null, form.TryGetValue("client_secret", out var s) ? s.ToString() : null);
    }

    private static Task OAuthErrorAsync(HttpContext context, int status, string error) =>
        JsonResponse.WriteAsync(context, status, error, static (writer, error) =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteEndObject();
        });
}
