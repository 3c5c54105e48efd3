// One page request, fully resolved (method, URL, headers, JSON body); turned into a fresh HttpRequestMessage per attempt.
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Etl.Sources.Http;

internal sealed class HttpRequestDescription
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private byte[]? _bodyBytes;

    public HttpRequestDescription(HttpMethod method, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers, JsonNode? body,
        IReadOnlySet<string>? credentialHeaders = null, bool carriesCredentials = true)
    {
        Method = method;
        Url = url;
        Headers = headers;
        Body = body;
        _credentialHeaders = credentialHeaders;
        CarriesCredentials = carriesCredentials;
    }

    private readonly IReadOnlySet<string>? _credentialHeaders;

    /// <summary>Whether the source's credentials go with this request: false once a next link or a redirect led to another origin
    /// (scheme, host or port), as browsers and HTTP clients drop credentials on a redirect to another host.</summary>
    public bool CarriesCredentials { get; }

    public HttpMethod Method { get; }

    public Uri Url { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The JSON body (POST); never changed once the description exists.</summary>
    public JsonNode? Body { get; }

    /// <summary>host:port, the key of the shared per-host gate.</summary>
    public string Host => Url.Authority;

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Url);
        if (Body is not null)
        {
            _bodyBytes ??= Encoding.UTF8.GetBytes(Body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            message.Content = new ByteArrayContent(_bodyBytes);
            message.Content.Headers.ContentType = Json;
        }
        foreach (var (name, value) in Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value) && message.Content is not null)
            {
                // Content headers (Content-Type...) belong to the body.
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return message;
    }

    /// <summary>The same request at <paramref name="url"/> (a next page's link, a redirect); at another origin without the
    /// source's credentials (its credential headers, and no OAuth2 token), so a link cannot send them elsewhere.</summary>
    public HttpRequestDescription WithUrl(Uri url)
    {
        if (!CarriesCredentials || Uri.Compare(url, Url, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return new(Method, url, Headers, Body, _credentialHeaders, CarriesCredentials);
        }
        var headers = _credentialHeaders is null ? Headers : [.. Headers.Where(h => !_credentialHeaders.Contains(h.Key))];
        return new(Method, url, headers, Body, _credentialHeaders, carriesCredentials: false);
    }

    /// <summary>The same request as a GET without a body (a 303 redirect, or a 301/302 after a POST).</summary>
    public HttpRequestDescription AsGet() => new(HttpMethod.Get, Url, Headers, null, _credentialHeaders, CarriesCredentials);

    public HttpRequestDescription WithQuery(string name, string value) => WithUrl(UrlQuery.Set(Url, name, value));

    public HttpRequestDescription WithHeader(string name, string value) =>
        new(Method, Url, [.. Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)), new(name, value)], Body,
            _credentialHeaders, CarriesCredentials);

    /// <summary>A copy whose body has <paramref name="value"/> at the dotted <paramref name="path"/> (objects made as needed).</summary>
    public HttpRequestDescription WithBodyField(string path, JsonNode value)
    {
        var body = Body?.DeepClone() as JsonObject ?? [];
        var parts = path.Split('.');
        var target = body;
        foreach (var part in parts[..^1])
        {
            if (target[part] is not JsonObject child)
            {
                child = [];
                target[part] = child;
            }
            target = child;
        }
        target[parts[^1]] = value;
        return new(Method, Url, Headers, body, _credentialHeaders, CarriesCredentials);
    }
}

/// <summary>Builds and edits query strings, escaping names and values.</summary>
internal static class UrlQuery
{
    public static string Append(string url, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var sb = new StringBuilder(url);
        var separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var (name, value) in pairs)
        {
            sb.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return sb.ToString();
    }

    /// <summary>The URL with <paramref name="name"/> set to <paramref name="value"/> (replaced when present, else appended).</summary>
    public static Uri Set(Uri url, string name, string value)
    {
        var escapedName = Uri.EscapeDataString(name);
        var pair = $"{escapedName}={Uri.EscapeDataString(value)}";
        var query = url.Query.TrimStart('?');
        var parts = query.Length == 0 ? [] : query.Split('&').ToList();
        var replaced = false;
        for (var i = 0; i < parts.Count; i++)
        {
            var key = parts[i].Split('=', 2)[0];
            if (key == escapedName || Uri.UnescapeDataString(key) == name)
            {
                parts[i] = pair;
                replaced = true;
            }
        }
        if (!replaced)
        {
            parts.Add(pair);
        }
        var builder = new UriBuilder(url) { Query = string.Join('&', parts) };
        return builder.Uri;
    }
}
