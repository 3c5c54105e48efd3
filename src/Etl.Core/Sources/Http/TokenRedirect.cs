// The redirect rule of the OAuth2 token request: followed on the token URL's origin only, the POST and its form kept.
using System.Net;

namespace Etl.Sources.Http;

/// <summary>
/// A token request carries the client's secret (in its form or its Basic header), so unlike a page request it is never
/// followed to another origin, not even without the credentials (the token endpoint needs them): the run fails naming
/// the target, to be set as tokenUrl. On the same origin, 307 and 308 keep the POST and its form, as RFC 9110 says;
/// 301 and 302 keep them too, which RFC 9110 (15.4.2, 15.4.3) allows and RFC 6749 (3.2: a token request is a POST)
/// needs, where curl and Python requests would send a GET that cannot get a token; 303 asks for a GET of the answer,
/// sent without the form. https to http, a target that is not http(s) and an 11th redirect are refused as for pages.
/// </summary>
internal static class TokenRedirect
{
    /// <summary>The URL and method of the next hop after <paramref name="response"/> to a request for <paramref name="current"/>,
    /// <paramref name="redirects"/> redirects after <paramref name="tokenUrl"/>; null when the answer is not a redirect to
    /// follow, or it is refused (<paramref name="refusal"/> then says why).</summary>
    public static (Uri Url, HttpMethod Method)? Next(Uri tokenUrl, Uri current, HttpMethod method, HttpResponseMessage response, int redirects,
        out string? refusal)
    {
        if (HttpRedirect.Target(current, response, out refusal) is not { } target)
        {
            return null;
        }
        refusal = !HttpRedirect.SameOrigin(tokenUrl, target) ? HttpSpecErrors.TokenRedirectToAnotherOrigin(target)
            : redirects == HttpRedirect.MaxRedirects ? HttpSpecErrors.TooManyRedirects(HttpRedirect.MaxRedirects, target)
            : null;
        if (refusal is not null)
        {
            return null;
        }
        return (target, response.StatusCode == HttpStatusCode.SeeOther ? HttpMethod.Get : method);
    }
}
