// The texts of HTTP source problems, built in one place: spec checks, failed requests and bad bodies.
using System.Net;
using System.Text.Json;
using Etl.Sources.Http.Pagination;

namespace Etl.Sources.Http;

internal static class HttpSpecErrors
{
    public static string AtLeast(long min, long got) => $"expected a number >= {min}; got {got}";

    public static string Name(PaginationType type) => JsonNamingPolicy.CamelCase.ConvertName(type.ToString());

    public static string Name(HttpAuthType type) => type == HttpAuthType.OAuth2 ? "oauth2" : JsonNamingPolicy.CamelCase.ConvertName(type.ToString());

    public static string UnknownPlaceholder(string name, IReadOnlyCollection<string> known)
    {
        var hint = Etl.Spec.Suggest.Closest(name, known);
        return $"placeholder {{{name}}} has no entry in \"values\""
            + (hint is not null ? $" (did you mean {{{hint}}}?)" : known.Count > 0 ? $"; values are {string.Join(", ", known)}" : "");
    }

    /// <summary>"GET https://api.example.com/orders/17 failed after 5 attempts: 503 Service Unavailable".</summary>
    public static string Failed(HttpMethod method, string url, int attempts, string what) =>
        $"{method.Method} {url} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {what}";

    public static string Status(HttpStatusCode status, string? reason) =>
        $"{(int)status} {(string.IsNullOrEmpty(reason) ? status.ToString() : reason)}";

    public static string Exception(Exception e, TimeSpan attemptTimeout) => e switch
    {
        Polly.Timeout.TimeoutRejectedException => $"no response within timeoutSeconds ({attemptTimeout.TotalSeconds:0.###}s)",
        HttpRequestException { InnerException: { } inner } h => $"{h.Message} ({inner.Message})",
        _ => e.Message,
    };

    /// <summary>Why a request stopped after <see cref="HttpRedirect.MaxRedirects"/> redirects.</summary>
    public static string TooManyRedirects(int max, Uri last) => $"too many redirects (more than {max}); the last one pointed to {last}";

    public static string RedirectDowngrade(Uri target) =>
        $"redirect from https to http refused (it would send the request unencrypted): {target}";

    /// <summary>Why a token request's redirect to another origin is not followed.</summary>
    public static string TokenRedirectToAnotherOrigin(Uri target) =>
        $"redirect to another origin refused (the client credentials go only to the token URL's origin): {target}; set tokenUrl to it";

    public static string RedirectNotHttp(Uri target) => $"redirect to a URL that is not http or https refused: {target}";

    /// <summary>A failed parent request: its children are not requested.</summary>
    public static string ParentFailed(string reason) => $"parent request: {reason}; its children were not requested";

    /// <summary>"OAuth2 token request to https://login.example.com/token failed after 5 attempts: 401 Unauthorized (invalid_client)".</summary>
    public static string TokenFailed(string tokenUrl, int attempts, string what) =>
        $"OAuth2 token request to {tokenUrl} failed after {attempts} attempt{(attempts == 1 ? "" : "s")}: {what}";

    public static string TokenMissing(string field) => $"the token endpoint's answer has no \"{field}\"";
}
