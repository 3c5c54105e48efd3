// One value read from a parent request's records: the key, the parent request's own placeholder values, the carried fields.
namespace Etl.Sources.Http;

/// <param name="Key">The value at "field" (or several joined, with "chunk").</param>
/// <param name="Inherited">The placeholder values of the parent request itself, in its "values" order, for its children's paths.</param>
/// <param name="Carried">The "carry" fields of the parent record (and those its own parent carried); null when none.</param>
internal sealed record ParentValue(object Key, IReadOnlyList<object> Inherited, IReadOnlyDictionary<string, object?>? Carried)
{
    /// <summary>Fields carried from further up, overridden by those of the nearer parent.</summary>
    public static IReadOnlyDictionary<string, object?>? Merge(IReadOnlyDictionary<string, object?>? outer, IReadOnlyDictionary<string, object?>? inner)
    {
        if (outer is null || outer.Count == 0)
        {
            return inner;
        }
        if (inner is null || inner.Count == 0)
        {
            return outer;
        }
        var merged = new Dictionary<string, object?>(outer, StringComparer.Ordinal);
        foreach (var (name, value) in inner)
        {
            merged[name] = value;
        }
        return merged;
    }
}
