// Every request a spec asks for: the combinations of "values", produced lazily, each filled into path, query, headers and body.
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Etl.Runtime;

namespace Etl.Sources.Http;

/// <summary>The placeholder values of one request, in the order of "values" (a parent request's own values follow its key),
/// and the parent fields carried to its records. Read as a dictionary, it gives each value as text, as records carry them
/// in <c>Request</c> (read by select as <c>$request.name</c>), made only when asked for: most runs never read them.</summary>
internal sealed class RequestValues(string[] names, object[] values, IReadOnlyDictionary<string, object?>? carried = null) : IReadOnlyDictionary<string, string>
{
    private string?[]? _text;

    public IReadOnlyList<object> Values => values;

    /// <summary>Fields of the parent records, readable by select as <c>$parent.field</c>; null without a parent request.</summary>
    public IReadOnlyDictionary<string, object?>? Carried => carried;

    /// <summary>The values as text, keyed by name.</summary>
    public IReadOnlyDictionary<string, string> Text => this;

    public int Count => names.Length;

    public IEnumerable<string> Keys => names;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => names.Select((_, i) => TextAt(i));

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"no request value '{key}'");

    public bool ContainsKey(string key) => Array.IndexOf(names, key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = Array.IndexOf(names, key);
        value = i >= 0 ? TextAt(i) : null;
        return i >= 0;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
        names.Select((name, i) => new KeyValuePair<string, string>(name, TextAt(i))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Records of one page may be read on several threads: a race only makes the same text twice.
    private string TextAt(int i) => (_text ??= new string?[names.Length])[i] ??= Placeholders.Text(values[i]);
}

internal sealed class RequestPlan
{
    private readonly string[] _names;
    private readonly ValueSet[] _sets;
    private readonly int[] _slots; // the first slot each set fills; a parent request fills its key and then its own values
    private readonly HttpMethod _method;
    private readonly string _baseUrl;
    private readonly Placeholders _path;
    private readonly (string Name, Placeholders Value)[] _query;
    private readonly (string Name, Placeholders Value)[] _headers;
    private readonly JsonObject? _body;
    private readonly Shard? _shard;

    public RequestPlan(HttpSourceSpec spec, RunContext run, SharedFetch? shared = null)
        : this(spec, spec.Method, spec.Path, spec.Query, spec.Headers, spec.Body, spec.Values, run, shared)
    {
    }

    /// <summary>The plan of a parent request: the source's baseUrl and auth, the request's own path, query, headers, body and values.</summary>
    public static RequestPlan ForParent(ValueRequestSpec request, SharedFetch shared, RunContext run) =>
        new(shared.Source, request.Method, request.Path, request.Query, request.Headers, request.Body, request.Values, run, shared);

    private readonly HashSet<string> _credentialHeaders;

    private RequestPlan(HttpSourceSpec source, HttpSourceMethod method, string? path, Dictionary<string, string>? querySpec,
        Dictionary<string, string>? headerSpec, JsonObject? body, Dictionary<string, ValueSetSpec>? values, RunContext run, SharedFetch? shared)
    {
        values ??= [];
        _names = [.. ValueSetSpec.NamesOf(values)];
        // Loops rather than LINQ over key/value pairs here: those iterators are compiled at run time, on the path of the
        // run's first request.
        // The first set varies slowest and is streamed once; the others repeat for each of its values.
        _sets = new ValueSet[values.Count];
        _slots = new int[values.Count];
        var index = 0;
        foreach (var (key, set) in values)
        {
            _sets[index] = index == 0 ? ValueSet.Create(set, run, shared) : ValueSet.Create(set, run, shared).Repeatable();
            _slots[index++] = Array.IndexOf(_names, key);
        }
        _method = method == HttpSourceMethod.Post ? HttpMethod.Post : HttpMethod.Get;
        _baseUrl = source.BaseUrl.TrimEnd('/');
        _path = Placeholders.Parse(path ?? "", _names);
        var query = new List<KeyValuePair<string, string>>(querySpec ?? []);
        var headers = new List<KeyValuePair<string, string>>(headerSpec ?? []);
        // An OAuth2 token is fetched at run time and set per attempt (HttpFetcher), not templated here.
        if (source.Auth is { Type: not HttpAuthType.OAuth2 } auth)
        {
            var name = auth.Name ?? HttpAuthSpec.DefaultApiKeyName;
            if (auth.AuthorizationValue is { } authorization)
            {
                headers.Add(new("Authorization", authorization));
            }
            else if (auth.In == ApiKeyLocation.Query)
            {
                query.Add(new(name, auth.Value!));
            }
            else
            {
                headers.Add(new(name, auth.Value!));
            }
        }
        _query = ParseAll(query, _names);
        _headers = ParseAll(headers, _names);
        _credentialHeaders = CredentialHeaders(headers, source.Auth, run.Secrets);
        _body = body;
        // A sharded run splits the requests at the root of the request tree: the level whose values are not fed by a parent
        // request. Everything below a root request (its pages, its children, theirs) stays in that request's shard, so no
        // request is sent by two shards and none is left out.
        _shard = values.Values.FirstOrDefault()?.Request is null ? run.Shard : null;
    }

    /// <summary>Most values read ahead by the value sets fed by parent requests (see <see cref="RequestValueSet.MaxBuffered"/>).</summary>
    public long MaxParentValuesBuffered => _sets.OfType<RequestValueSet>().Sum(s => s.MaxBuffered);

    /// <summary>Whether this plan keeps only the requests of the run's shard (it is the root of the request tree).</summary>
    public bool Sharded => _shard is not null;

    /// <summary>Number of requests (before paging), when every value set knows its size; in a sharded run, of all shards.</summary>
    public long? Count => Product(_sets);

    /// <summary>Number of requests of <paramref name="spec"/> known before anything is read: null when a value set is read
    /// from files or fed by a request.</summary>
    public static long? CountAhead(HttpSourceSpec spec, RunContext run) =>
        spec.Values?.Values.Any(v => v.Request is not null) == true ? null : Product((spec.Values ?? []).Values.Select(v => ValueSet.Create(v, run)));

    private static long? Product(IEnumerable<ValueSet> sets)
    {
        long total = 1;
        foreach (var set in sets)
        {
            if (set.Count is not { } n)
            {
                return null;
            }
            total = n == 0 ? 0 : total > long.MaxValue / n ? long.MaxValue : total * n;
        }
        return total;
    }

    /// <summary>Every combination, the last value set varying fastest; one empty combination without values.</summary>
    public IAsyncEnumerable<RequestValues> EnumerateAsync(CancellationToken cancellationToken) =>
        Combine(0, new object[_names.Length], null, cancellationToken);

    private async IAsyncEnumerable<RequestValues> Combine(int depth, object[] current, IReadOnlyDictionary<string, object?>? carried,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (depth == _sets.Length)
        {
            var combination = new RequestValues(_names, (object[])current.Clone(), carried);
            if (_shard is null || _shard.Owns(Shard.RequestKey(combination.Text)))
            {
                yield return combination;
            }
            yield break;
        }
        await foreach (var value in _sets[depth].EnumerateAsync(cancellationToken))
        {
            var slot = _slots[depth];
            var carriedHere = carried;
            if (value is ParentValue parent)
            {
                current[slot] = parent.Key;
                for (var i = 0; i < parent.Inherited.Count; i++)
                {
                    current[slot + 1 + i] = parent.Inherited[i];
                }
                carriedHere = ParentValue.Merge(carried, parent.Carried);
            }
            else
            {
                current[slot] = value;
            }
            if (depth + 1 == _sets.Length)
            {
                // The last set yields here: no nested iterator per request.
                var last = new RequestValues(_names, (object[])current.Clone(), carriedHere);
                if (_shard is null || _shard.Owns(Shard.RequestKey(last.Text)))
                {
                    yield return last;
                }
                continue;
            }
            await foreach (var combination in Combine(depth + 1, current, carriedHere, cancellationToken))
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
        if (_query.Length > 0)
        {
            url = UrlQuery.Append(url, _query.Select(q => new KeyValuePair<string, string>(q.Name, q.Value.Fill(v))));
        }
        KeyValuePair<string, string>[] headers = _headers.Length == 0 ? [] : [.. _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Fill(v)))];
        return new HttpRequestDescription(_method, new Uri(url), headers, _body is null ? null : FillBody(_body, v), _credentialHeaders);
    }

    /// <summary>The headers that carry credentials, which a next link to another origin does not get: the standard
    /// ones, the API key's, and any whose value holds a secret (<c>${env:...}</c>).</summary>
    private static (string Name, Placeholders Value)[] ParseAll(List<KeyValuePair<string, string>> pairs, IReadOnlyList<string> names)
    {
        var parsed = new (string Name, Placeholders Value)[pairs.Count];
        for (var i = 0; i < parsed.Length; i++)
        {
            parsed[i] = (pairs[i].Key, Placeholders.Parse(pairs[i].Value, names));
        }
        return parsed;
    }

    private static HashSet<string> CredentialHeaders(IEnumerable<KeyValuePair<string, string>> headers, HttpAuthSpec? auth, Spec.Redactor secrets)
    {
        var names = new HashSet<string>(["Authorization", "Proxy-Authorization", "Cookie"], StringComparer.OrdinalIgnoreCase);
        if (auth is { Type: HttpAuthType.ApiKey, In: not ApiKeyLocation.Query })
        {
            names.Add(auth.Name ?? HttpAuthSpec.DefaultApiKeyName);
        }
        foreach (var (name, value) in headers)
        {
            if (secrets.Redact(value) != value)
            {
                names.Add(name);
            }
        }
        return names;
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
