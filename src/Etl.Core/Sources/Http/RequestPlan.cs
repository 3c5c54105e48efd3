// Every request a spec asks for: the combinations of "values", produced lazily, each filled into path, query, headers and body.
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Etl.Runtime;

namespace Etl.Sources.Http;

/// <summary>The placeholder values of one request, in the order of "values".</summary>
internal sealed class RequestValues(string[] names, object[] values)
{
    private IReadOnlyDictionary<string, string>? _text;

    public IReadOnlyList<object> Values => values;

    /// <summary>The values as text, as records carry them in <c>Request</c> (read by select as <c>$request.name</c>).</summary>
    public IReadOnlyDictionary<string, string> Text => _text ??= names.Select((n, i) => (n, i))
        .ToDictionary(x => x.n, x => Placeholders.Text(values[x.i]), StringComparer.Ordinal);
}

internal sealed class RequestPlan
{
    private readonly string[] _names;
    private readonly ValueSet[] _sets;
    private readonly HttpMethod _method;
    private readonly string _baseUrl;
    private readonly Placeholders _path;
    private readonly (string Name, Placeholders Value)[] _query;
    private readonly (string Name, Placeholders Value)[] _headers;
    private readonly JsonObject? _body;

    public RequestPlan(HttpSourceSpec spec, RunContext run)
    {
        var values = spec.Values ?? [];
        _names = [.. values.Keys];
        // The first set varies slowest and is streamed once; the others repeat for each of its values.
        _sets = [.. values.Values.Select((v, i) => i == 0 ? ValueSet.Create(v, run) : ValueSet.Create(v, run).Repeatable())];
        _method = spec.Method == HttpSourceMethod.Post ? HttpMethod.Post : HttpMethod.Get;
        _baseUrl = spec.BaseUrl.TrimEnd('/');
        _path = Placeholders.Parse(spec.Path ?? "", _names);
        var query = (spec.Query ?? []).AsEnumerable();
        var headers = (spec.Headers ?? []).AsEnumerable();
        // An OAuth2 token is fetched at run time and set per attempt (HttpFetcher), not templated here.
        if (spec.Auth is { Type: not HttpAuthType.OAuth2 } auth)
        {
            var name = auth.Name ?? HttpAuthSpec.DefaultApiKeyName;
            if (auth.AuthorizationValue is { } authorization)
            {
                headers = headers.Append(new("Authorization", authorization));
            }
            else if (auth.In == ApiKeyLocation.Query)
            {
                query = query.Append(new(name, auth.Value!));
            }
            else
            {
                headers = headers.Append(new(name, auth.Value!));
            }
        }
        _query = [.. query.Select(kv => (kv.Key, Placeholders.Parse(kv.Value, _names)))];
        _headers = [.. headers.Select(kv => (kv.Key, Placeholders.Parse(kv.Value, _names)))];
        _body = spec.Body;
    }

    /// <summary>Number of requests (before paging), when every value set knows its size.</summary>
    public long? Count
    {
        get
        {
            long total = 1;
            foreach (var set in _sets)
            {
                if (set.Count is not { } n)
                {
                    return null;
                }
                total = n == 0 ? 0 : total > long.MaxValue / n ? long.MaxValue : total * n;
            }
            return total;
        }
    }

    /// <summary>Every combination, the last value set varying fastest; one empty combination without values.</summary>
    public IAsyncEnumerable<RequestValues> EnumerateAsync(CancellationToken cancellationToken) =>
        Combine(0, new object[_sets.Length], cancellationToken);

    private async IAsyncEnumerable<RequestValues> Combine(int depth, object[] current, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (depth == _sets.Length)
        {
            yield return new RequestValues(_names, (object[])current.Clone());
            yield break;
        }
        await foreach (var value in _sets[depth].EnumerateAsync(cancellationToken))
        {
            current[depth] = value;
            await foreach (var combination in Combine(depth + 1, current, cancellationToken))
            {
                yield return combination;
            }
        }
    }

    /// <summary>The first page request of one combination.</summary>
    public HttpRequestDescription Build(RequestValues values)
    {
        var v = values.Values;
        var path = _path.Fill(v, Uri.EscapeDataString);
        var url = path.Length == 0 ? _baseUrl : _baseUrl + "/" + path.TrimStart('/');
        url = UrlQuery.Append(url, _query.Select(q => new KeyValuePair<string, string>(q.Name, q.Value.Fill(v))));
        var headers = _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Fill(v))).ToArray();
        return new HttpRequestDescription(_method, new Uri(url), headers, _body is null ? null : FillBody(_body, v));
    }

    private JsonNode? FillBody(JsonNode? node, IReadOnlyList<object> values)
    {
        switch (node)
        {
            case JsonObject obj:
                var o = new JsonObject();
                foreach (var (k, child) in obj)
                {
                    o[k] = FillBody(child, values);
                }
                return o;
            case JsonArray arr:
                var a = new JsonArray();
                foreach (var child in arr)
                {
                    a.Add(FillBody(child, values));
                }
                return a;
            case JsonValue value when value.TryGetValue<string>(out var s):
                var template = Placeholders.Parse(s, _names);
                // "{id}" alone keeps the value's JSON type (a number stays a number).
                return template.WholeSlot >= 0 ? Json(values[template.WholeSlot]) : JsonValue.Create(template.Fill(values));
            default:
                return node?.DeepClone();
        }
    }

    private static JsonValue Json(object value) => value switch
    {
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        decimal m => JsonValue.Create(m),
        _ => JsonValue.Create(Placeholders.Text(value)),
    };
}
