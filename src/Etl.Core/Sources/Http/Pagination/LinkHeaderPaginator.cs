// RFC 8288 pagination: follows the Link header's rel="next" target until a page has none.
namespace Etl.Sources.Http.Pagination;

internal sealed class LinkHeaderPaginator : Paginator
{
    public override HttpRequestDescription First(HttpRequestDescription request) => request;

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page) =>
        page.Headers.TryGetValues("Link", out var values) && LinkHeader.Find(values, "next") is { } link
            ? Follow(current, page, link)
            : null;
}

/// <summary>Reads RFC 8288 Link header values: <c>&lt;https://…?page=2&gt;; rel="next", &lt;…&gt;; rel="last"</c>.</summary>
internal static class LinkHeader
{
    /// <summary>The target of the first link whose rel names <paramref name="relation"/>, or null.</summary>
    public static string? Find(IEnumerable<string> headerValues, string relation)
    {
        foreach (var header in headerValues)
        {
            var i = 0;
            while (i < header.Length)
            {
                var open = header.IndexOf('<', i);
                if (open < 0)
                {
                    break;
                }
                var close = header.IndexOf('>', open + 1);
                if (close < 0)
                {
                    break;
                }
                var target = header[(open + 1)..close].Trim();
                // Parameters run to the next link, which starts after a comma outside quotes.
                var end = close + 1;
                var quoted = false;
                while (end < header.Length && (quoted || header[end] != ','))
                {
                    if (header[end] == '"')
                    {
                        quoted = !quoted;
                    }
                    end++;
                }
                if (HasRelation(header[(close + 1)..end], relation))
                {
                    return target;
                }
                i = end + 1;
            }
        }
        return null;
    }

    /// <summary>Whether one link's parameters (<c>; rel="next"; title="a; b"</c>) have a rel naming <paramref name="relation"/>;
    /// a semicolon inside a quoted value does not end a parameter.</summary>
    private static bool HasRelation(string parameters, string relation)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i <= parameters.Length; i++)
        {
            if (i < parameters.Length)
            {
                quoted ^= parameters[i] == '"';
                if (quoted || parameters[i] != ';')
                {
                    continue;
                }
            }
            if (IsRelation(parameters[start..i], relation))
            {
                return true;
            }
            start = i + 1;
        }
        return false;
    }

    private static bool IsRelation(string parameter, string relation)
    {
        var eq = parameter.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0 || !parameter[..eq].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var rels = parameter[(eq + 1)..].Trim().Trim('"');
        return rels.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Any(r => r.Equals(relation, StringComparison.OrdinalIgnoreCase));
    }
}
