// Unit tests of the redirect rule: what a 3xx leads to, for the cases a loopback sample API cannot serve (https).
using System.Net;
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpRedirectTests
{
    private static HttpResponseMessage Redirect(HttpStatusCode status, string location) =>
        new(status) { Headers = { Location = new Uri(location, UriKind.RelativeOrAbsolute) } };

    private static HttpRequestDescription Get(string url) => new(HttpMethod.Get, new Uri(url), [], null);

    [Fact]
    public void HttpRedirect_HttpsToHttp_IsRefused()
    {
        using var response = Redirect(HttpStatusCode.Found, "http://api.example.com/orders");

        var next = HttpRedirect.Next(Get("https://api.example.com/orders"), response, out var refusal);

        Assert.Null(next);
        Assert.Equal("redirect from https to http refused (it would send the request unencrypted): http://api.example.com/orders", refusal);
    }

    [Fact]
    public void HttpRedirect_RelativeLocation_IsResolvedAgainstTheCurrentUrl()
    {
        using var response = Redirect(HttpStatusCode.MovedPermanently, "../v2/orders?page=1");

        var next = HttpRedirect.Next(Get("https://api.example.com/v1/orders"), response, out var refusal);

        Assert.Equal((new Uri("https://api.example.com/v2/orders?page=1"), (string?)null), (next?.Url, refusal));
    }

    [Fact]
    public void HttpRedirect_WithoutLocation_IsNotFollowed()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Found);

        var next = HttpRedirect.Next(Get("https://api.example.com/orders"), response, out var refusal);

        Assert.Equal((null, null), (next, refusal));
    }
}
