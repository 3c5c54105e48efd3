// Which nested fields the transforms will read first thing, told to the source as a hint (NestedReads): a select of
// "object.field" paths, right after the source or after an explode of a top-level array ("item.sku"); and which
// top-level fields they read at all (the select drops any other).
using Etl.Records;
using Etl.Sources;
using Etl.Spec;
using Etl.Transforms;

namespace Etl.Runtime;

internal static class NestedReadsPlan
{
    public static NestedReads For(IReadOnlyList<TransformSpec>? transforms)
    {
        var next = 0;
        (string Array, string As)? exploded = null;
        if (transforms is [ExplodeTransformSpec explode, ..] && RecordPath.Parse(explode.Path) is { IsSimple: true } array)
        {
            exploded = (array.Root, explode.As ?? array.Root);
            next = 1;
        }
        if (transforms is null || next >= transforms.Count || transforms[next] is not SelectTransformSpec select)
        {
            return NestedReads.None;
        }
        var objects = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var elements = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var text in select.Columns.Values)
        {
            if (RecordPath.Parse(text).Steps is not [(string root, _), (string field, _)])
            {
                continue;
            }
            var (into, name) = exploded is var (arrayRoot, elementName) && root == elementName ? (elements, arrayRoot) : (objects, root);
            var fields = into.TryGetValue(name, out var known) ? known : into[name] = [];
            if (!fields.Contains(field))
            {
                fields.Add(field);
            }
        }
        return new NestedReads(objects.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()), elements.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()))
        {
            TopLevel = TopLevel(select, exploded?.Array),
        };
    }

    /// <summary>The roots the select reads, and the exploded array; null when a path reads more than the record's
    /// fields ($request, $parent).</summary>
    private static HashSet<string>? TopLevel(SelectTransformSpec select, string? array)
    {
        var roots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in select.Columns.Values)
        {
            if (RecordPath.Parse(text) is not { ReadsFields: true, Steps: [(string root, _), ..] })
            {
                return null;
            }
            roots.Add(root);
        }
        if (array is not null)
        {
            roots.Add(array);
        }
        return roots;
    }
}
