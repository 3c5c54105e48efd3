// The "auth" block of an HTTP source: bearer token, basic credentials or an API key, applied to every request.
using System.ComponentModel;
using System.Text;

namespace Etl.Sources.Http;

public enum HttpAuthType { Bearer, Basic, ApiKey }

public enum ApiKeyLocation { Header, Query }

public sealed record HttpAuthSpec
{
    public const string DefaultApiKeyName = "X-API-Key";

    [Description("bearer (Authorization: Bearer <token>), basic (username and password) or apiKey (a header or query parameter).")]
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

    internal IEnumerable<(string Path, string Message)> Validate(string path)
    {
        (string Field, string? Value)[] required = Type switch
        {
            HttpAuthType.Bearer => [("token", Token)],
            HttpAuthType.Basic => [("username", Username), ("password", Password)],
            _ => [("value", Value)],
        };
        foreach (var (field, value) in required)
        {
            if (string.IsNullOrEmpty(value))
            {
                yield return ($"{path}.{field}", $"required for auth type {HttpSpecErrors.Name(Type)}");
            }
        }
        (string Field, bool Set)[] foreign = Type switch
        {
            HttpAuthType.Bearer => [("username", Username is not null), ("password", Password is not null), ("name", Name is not null), ("value", Value is not null)],
            HttpAuthType.Basic => [("token", Token is not null), ("name", Name is not null), ("value", Value is not null)],
            _ => [("token", Token is not null), ("username", Username is not null), ("password", Password is not null)],
        };
        foreach (var (field, _) in foreign.Where(f => f.Set))
        {
            yield return ($"{path}.{field}", $"does not apply to auth type {HttpSpecErrors.Name(Type)}");
        }
    }

    /// <summary>The Authorization header value (bearer, basic) or null for an API key.</summary>
    internal string? AuthorizationValue => Type switch
    {
        HttpAuthType.Bearer => $"Bearer {Token}",
        HttpAuthType.Basic => $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"))}",
        _ => null,
    };

    /// <summary>Every value a person must never see: the raw secrets and the encoded header that carries them.</summary>
    internal IEnumerable<string> SecretValues()
    {
        foreach (var s in new[] { Token, Password, Value })
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
    }
}
