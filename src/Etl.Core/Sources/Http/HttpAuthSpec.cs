// The "auth" block of an HTTP source: bearer token, basic credentials, an API key or OAuth2 client credentials, applied to every request.
using System.ComponentModel;
using System.Text;
using System.Text.Json.Serialization;

namespace Etl.Sources.Http;

public enum HttpAuthType
{
    Bearer,
    Basic,
    ApiKey,

    [JsonStringEnumMemberName("oauth2")]
    OAuth2,
}

public enum ApiKeyLocation { Header, Query }

/// <summary>How an OAuth2 client sends its id and secret to the token endpoint (RFC 6749 section 2.3.1).</summary>
public enum OAuth2ClientAuth { Body, Basic }

public sealed record HttpAuthSpec
{
    public const string DefaultApiKeyName = "X-API-Key";

    [Description("bearer (Authorization: Bearer <token>), basic (username and password), apiKey (a header or query parameter) or oauth2 (client credentials: tokenUrl, clientId, clientSecret).")]
    public required HttpAuthType Type { get; init; }

    [Description("bearer: the token, usually \"${env:API_TOKEN}\".")]
    public string? Token { get; init; }

    [Description("basic: the user name.")]
    public string? Username { get; init; }

    [Description("basic: the password, usually \"${env:API_PASSWORD}\".")]
    public string? Password { get; init; }

    [Description("apiKey: the header or query parameter that carries the key. Default X-API-Key.")]
    public string? Name { get; init; }

    [Description("apiKey: the key, usually \"${env:API_KEY}\".")]
    public string? Value { get; init; }

    [Description("apiKey: header (default) or query.")]
    public ApiKeyLocation In { get; init; } = ApiKeyLocation.Header;

    [Description("oauth2: the token endpoint, e.g. https://login.example.com/oauth/token; asked for a token with grant_type=client_credentials.")]
    public string? TokenUrl { get; init; }

    [Description("oauth2: the client id, usually \"${env:CLIENT_ID}\".")]
    public string? ClientId { get; init; }

    [Description("oauth2: the client secret, usually \"${env:CLIENT_SECRET}\".")]
    public string? ClientSecret { get; init; }

    [Description("oauth2: the scope asked for (space-separated). Default: none sent.")]
    public string? Scope { get; init; }

    [Description("oauth2: the audience asked for (Auth0, Okta and others). Default: none sent.")]
    public string? Audience { get; init; }

    [Description("oauth2: body (default: client_id and client_secret in the form) or basic (HTTP Basic authentication).")]
    public OAuth2ClientAuth ClientAuth { get; init; } = OAuth2ClientAuth.Body;

    internal IEnumerable<(string Path, string Message)> Validate(string path)
    {
        (string Field, string? Value)[] required = Type switch
        {
            HttpAuthType.Bearer => [("token", Token)],
            HttpAuthType.Basic => [("username", Username), ("password", Password)],
            HttpAuthType.OAuth2 => [("tokenUrl", TokenUrl), ("clientId", ClientId), ("clientSecret", ClientSecret)],
            _ => [("value", Value)],
        };
        foreach (var (field, value) in required)
        {
            if (string.IsNullOrEmpty(value))
            {
                yield return ($"{path}.{field}", $"required for auth type {HttpSpecErrors.Name(Type)}");
            }
        }
        if (Type == HttpAuthType.OAuth2 && !string.IsNullOrEmpty(TokenUrl)
            && (!Uri.TryCreate(TokenUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return ($"{path}.tokenUrl", $"expected an absolute http or https URL; got \"{TokenUrl}\"");
        }
        foreach (var (field, _) in Fields().Where(f => f.Set && !Applies(f.Field)))
        {
            yield return ($"{path}.{field}", $"does not apply to auth type {HttpSpecErrors.Name(Type)}");
        }
    }

    private (string Field, bool Set)[] Fields() =>
    [
        ("token", Token is not null), ("username", Username is not null), ("password", Password is not null),
        ("name", Name is not null), ("value", Value is not null), ("tokenUrl", TokenUrl is not null), ("clientId", ClientId is not null),
        ("clientSecret", ClientSecret is not null), ("scope", Scope is not null), ("audience", Audience is not null),
    ];

    private bool Applies(string field) => Type switch
    {
        HttpAuthType.Bearer => field == "token",
        HttpAuthType.Basic => field is "username" or "password",
        HttpAuthType.OAuth2 => field is "tokenUrl" or "clientId" or "clientSecret" or "scope" or "audience",
        _ => field is "name" or "value",
    };

    /// <summary>The fixed Authorization header value (bearer, basic); null for an API key or OAuth2 (whose token is fetched).</summary>
    internal string? AuthorizationValue => Type switch
    {
        HttpAuthType.Bearer => $"Bearer {Token}",
        HttpAuthType.Basic => $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"))}",
        _ => null,
    };

    /// <summary>Every value a person must never see: the raw secrets and the encoded header that carries them.</summary>
    internal IEnumerable<string> SecretValues()
    {
        foreach (var s in new[] { Token, Password, Value, ClientSecret })
        {
            if (!string.IsNullOrEmpty(s))
            {
                yield return s;
            }
        }
        if (Type == HttpAuthType.Basic && AuthorizationValue is { } basic)
        {
            yield return basic["Basic ".Length..];
        }
        if (Type == HttpAuthType.OAuth2 && ClientCredentials is { } credentials)
        {
            yield return credentials;
        }
    }

    /// <summary>oauth2 with clientAuth basic: the Base64 of the form-encoded id and secret (RFC 6749 section 2.3.1).</summary>
    internal string? ClientCredentials
    {
        get
        {
            if (ClientAuth != OAuth2ClientAuth.Basic || ClientId is null || ClientSecret is null)
            {
                return null;
            }
            var pair = $"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(ClientSecret)}";
            return Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
        }
    }
}
