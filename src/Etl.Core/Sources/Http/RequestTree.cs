// The parent requests of an http source as plan blocks, deepest first, so `etl plan` shows the request tree.
using Etl.Runtime;

namespace Etl.Sources.Http;

internal static class RequestTree
{
    /// <summary>One block per value set fed by a request, grandparents before parents, each linked to what it feeds.</summary>
    public static IEnumerable<(PlannedBlock Block, string Feeds)> Blocks(HttpSourceSpec source) => Walk(source, source.Values, "source", "values");

    private static IEnumerable<(PlannedBlock Block, string Feeds)> Walk(HttpSourceSpec source, Dictionary<string, ValueSetSpec>? values, string feeds, string path)
    {
        foreach (var (name, set) in values ?? [])
        {
            if (set.Request is not { } request)
            {
                continue;
            }
            var id = $"{feeds}_{name}";
            foreach (var deeper in Walk(source, request.Values, id, $"{path}.{name}.request.values"))
            {
                yield return deeper;
            }
            var block = new PlannedBlock(id, $"{path}.{name}.request (http)", "ActionBlock", source.Concurrency, source.Concurrency, Describe(source, request, name));
            yield return (block, feeds);
        }
    }

    /// <summary>"GET /customers?page_size=50 (linkHeader), recordPath data → {customer} = id, carry name, country".</summary>
    private static string Describe(HttpSourceSpec source, ValueRequestSpec request, string name)
    {
        var query = request.Query is { Count: > 0 } q ? "?" + string.Join("&", q.Select(kv => $"{kv.Key}={kv.Value}")) : "";
        var method = request.Method == HttpSourceMethod.Post ? "POST" : "GET";
        var paging = request.Pagination is { } p ? $" ({HttpSpecErrors.Name(p.Type)})" : "";
        var records = request.RecordPath is { } r ? $", recordPath {r}" : "";
        var carry = request.Carry is { Count: > 0 } c ? ", carry " + string.Join(", ", c) : "";
        var chunk = request.Chunk is { } n ? $", chunks of {n} joined by \"{request.Separator ?? ValueRequestSpec.DefaultSeparator}\"" : "";
        return $"{method} {source.BaseUrl.TrimEnd('/')}/{(request.Path ?? "").TrimStart('/')}{query}{paging}{records} → {{{name}}} = {request.Field}{carry}{chunk}; "
            + $"{RequestValueSet.Buffered} values read ahead; shares the source's {source.Concurrency} request slots";
    }
}
