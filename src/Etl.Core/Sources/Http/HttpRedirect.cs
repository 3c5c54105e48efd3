// The redirect rule of the HTTP source: which 3xx answers are followed, with what method and body, and with which credentials.
using System.Net;

namespace Etl.Sources.Http;

/// <summary>
/// The fetcher follows redirects itself (the handler's own following keeps the API key, cookies and secret headers on a
/// redirect to another host): the same origin keeps the credentials, another origin gets none, as for next-page links.
/// </summary>
internal static class HttpRedirect
{
    /// <summary>Redirects followed for one request before it fails (a loop ends here too).</summary>
    public const int MaxRedirects = 10;

    /// <summary>The statuses followed when they carry a Location; 300 too, as the .NET handler did before.</summary>
    public static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MultipleChoices or HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Where a redirect answer to a request for <paramref name="current"/> leads; null when the answer is not a
    /// redirect to follow (not a 3xx above, or no Location), or when it is refused (<paramref name="refusal"/> then says why:
    /// not http or https, or https to http).</summary>
    public static Uri? Target(Uri current, HttpResponseMessage response, out string? refusal)
    {
        refusal = null;
        if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
        {
            return null;
        }
        // A relative Location is resolved against the URL that answered (RFC 9110 10.2.2).
        var target = location.IsAbsoluteUri ? location : new Uri(current, location);
        if (target.Scheme != Uri.UriSchemeHttp && target.Scheme != Uri.UriSchemeHttps)
        {
            refusal = HttpSpecErrors.RedirectNotHttp(target);
            return null;
        }
        if (current.Scheme == Uri.UriSchemeHttps && target.Scheme == Uri.UriSchemeHttp)
        {
            refusal = HttpSpecErrors.RedirectDowngrade(target);
            return null;
        }
        return target;
    }

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are one origin: scheme, host and port.</summary>
    public static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>The request that follows <paramref name="response"/> to <paramref name="current"/>; null when the answer is not a
    /// redirect to follow (not a 3xx above, or no Location), or when it is refused (<paramref name="refusal"/> then says why).</summary>
    public static HttpRequestDescription? Next(HttpRequestDescription current, HttpResponseMessage response, out string? refusal)
    {
        if (Target(current.Url, response, out refusal) is not { } target)
        {
            return null;
        }
        var next = current.WithUrl(target);
        // 303 asks for a GET; after a POST, 301 and 302 become a GET too, as browsers and curl do. 307 and 308 keep both.
        var toGet = response.StatusCode == HttpStatusCode.SeeOther
            || (current.Method == HttpMethod.Post && response.StatusCode is HttpStatusCode.MultipleChoices
                or HttpStatusCode.MovedPermanently or HttpStatusCode.Found);
        return toGet && current.Method != HttpMethod.Get && current.Method != HttpMethod.Head ? next.AsGet() : next;
    }
}
