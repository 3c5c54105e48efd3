// The OAuth2 client-credentials token endpoint the sample API can play (POST /oauth/token), and the tokens it honours.
namespace Etl.SampleApi;

/// <summary>
/// With these options <c>POST /oauth/token</c> issues bearer tokens to the one client it knows (RFC 6749 section 4.4:
/// <c>grant_type=client_credentials</c>, the client's id and secret in the form or as HTTP Basic), and every other
/// request needs an issued token that has not expired.
/// </summary>
public sealed record OAuth2Server
{
    /// <summary>Where the token endpoint answers.</summary>
    public const string TokenPath = "/oauth/token";

    public required string ClientId { get; init; }

    public required string ClientSecret { get; init; }

    /// <summary>How long an issued token is honoured, in seconds.</summary>
    public double TokenLifetimeSeconds { get; init; } = 3600;

    /// <summary>The <c>expires_in</c> sent with a token; null sends the real lifetime. A longer one makes the client meet a 401.</summary>
    public int? AdvertisedExpiresInSeconds { get; init; }

    /// <summary>The first this many token requests answer 503 with <c>Retry-After: 0</c>; <see cref="int.MaxValue"/>: all of them.</summary>
    public int FailingTokenRequests { get; init; }

    /// <summary>When set, token requests must ask for this scope.</summary>
    public string? RequiredScope { get; init; }
}
