// Fills runtime placeholders (${incremental.last}) into every string of a source spec, whatever the source's type.
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Spec;

namespace Etl.Runtime;

internal static class RuntimeExpansion
{
    /// <summary>The source spec with every runtime placeholder filled, so a source such as http gets the value in its
    /// query without knowing where it came from; the same instance when it has none.</summary>
    public static SourceSpec Apply(SourceSpec source, IReadOnlyDictionary<string, string> values, JsonSerializerOptions? options = null)
    {
        options ??= SpecJson.Options;
        var node = JsonSerializer.SerializeToNode(source, options);
        if (node is null || !node.ToJsonString().Contains("${" + Templates.RuntimePrefix, StringComparison.Ordinal))
        {
            return source;
        }
        Walk(node, values);
        return node.Deserialize<SourceSpec>(options) ?? source;
    }

    private static void Walk(JsonNode? node, IReadOnlyDictionary<string, string> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        obj[key] = Templates.ExpandRuntime(text, values);
                    }
                    else
                    {
                        Walk(child, values);
                    }
                }
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    if (arr[i] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        arr[i] = Templates.ExpandRuntime(text, values);
                    }
                    else
                    {
                        Walk(arr[i], values);
                    }
                }
                break;
        }
    }
}
