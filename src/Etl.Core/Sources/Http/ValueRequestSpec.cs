// "values.<name>.request": a value set fed by a parent request (its pages' records), sharing the source's client and limits.
using System.ComponentModel;
using System.Text.Json.Nodes;
using Etl.Sources.Http.Pagination;
using Etl.Spec;

namespace Etl.Sources.Http;

[Description("A parent request whose records feed the placeholder: shares the source's baseUrl, auth, retry, timeouts, rate limit and concurrency.")]
public sealed record ValueRequestSpec
{
    public const string DefaultSeparator = ",";
    public const int MaxChunk = 10_000;

    [Description("Path after the source's baseUrl of the parent listing, e.g. /customers; {name} placeholders take this request's own \"values\".")]
    public string? Path { get; init; }

    [Description("get (default) or post (with a JSON \"body\").")]
    public HttpSourceMethod Method { get; init; } = HttpSourceMethod.Get;

    [Description("Query parameters of the parent request; values may hold {name} placeholders of this request's \"values\".")]
    public Dictionary<string, string>? Query { get; init; }

    [Description("Headers of the parent request, added to the source's auth; values may hold {name} placeholders.")]
    public Dictionary<string, string>? Headers { get; init; }

    [Description("post: the JSON body of the parent request; strings may hold {name} placeholders.")]
    public JsonObject? Body { get; init; }

    [Description("How to walk the parent's pages. Default: one page.")]
    public PaginationSpec? Pagination { get; init; }

    [Description("Dotted path to the array of parent records in each response, e.g. data. Default: the whole body.")]
    public string? RecordPath { get; init; }

    [Description("Dotted path of the value in each parent record, e.g. id or owner.login. Records without one are counted and skipped.")]
    public required string Field { get; init; }

    [Description("Fields of the parent record copied to each child record, readable in select as $parent.<field>.")]
    public IReadOnlyList<string>? Carry { get; init; }

    [Description("Placeholders of this parent request, fed by lists, ranges, files or their own parent request (grandchildren). Child requests may use them too.")]
    public Dictionary<string, ValueSetSpec>? Values { get; init; }

    [Description("Join up to this many parent values into one placeholder value (/orders?ids=1,2,3), within one parent request. Default: one value per child request.")]
    public int? Chunk { get; init; }

    [Description("What joins chunked values. Default \",\".")]
    public string? Separator { get; init; }

    internal IEnumerable<(string Path, string Message)> Validate(string path)
    {
        foreach (var problem in SpecChecks.CheckPath(Field, $"{path}.field"))
        {
            yield return problem;
        }
        foreach (var problem in SpecChecks.CheckPath(RecordPath, $"{path}.recordPath"))
        {
            yield return problem;
        }
        for (var i = 0; i < (Carry?.Count ?? 0); i++)
        {
            foreach (var problem in SpecChecks.CheckPath(Carry![i], $"{path}.carry[{i}]"))
            {
                yield return problem;
            }
        }
        var names = ValueSetSpec.NamesOf(Values);
        foreach (var name in Placeholders.NamesIn(Path).Distinct().Where(n => !names.Contains(n)))
        {
            yield return ($"{path}.path", HttpSpecErrors.UnknownPlaceholder(name, names));
        }
        foreach (var problem in HttpSourceSpec.ValidateValues(Values, $"{path}.values"))
        {
            yield return problem;
        }
        if (Body is not null && Method != HttpSourceMethod.Post)
        {
            yield return ($"{path}.body", "a body needs \"method\": \"post\"");
        }
        if (Chunk is < 1 or > MaxChunk)
        {
            yield return ($"{path}.chunk", $"expected a number from 1 to {MaxChunk}; got {Chunk}");
        }
        if (Separator is not null && Chunk is null)
        {
            yield return ($"{path}.separator", "applies only with \"chunk\"");
        }
        if (Chunk is not null && Carry is { Count: > 0 })
        {
            yield return ($"{path}.carry", "a chunk joins many parents into one request, so there is no one parent to carry fields from; drop carry or chunk");
        }
        foreach (var problem in Pagination?.Validate($"{path}.pagination", Method == HttpSourceMethod.Post) ?? [])
        {
            yield return problem;
        }
    }
}
