// Checks a spec against the JSON Schema of the format (pipelines/pipeline.schema.json) and words each problem for people.
// Its own class: JsonSchema.Net builds its keyword registry and every draft's meta-schemas when its assembly loads, and
// only this class loads it, so a spec that SpecSchemaFastCheck accepts never pays for that.
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Etl.Spec;

internal static class SpecSchemaCheck
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(SpecSchema.Shipped, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static readonly HashSet<string> AggregateKeywords = ["allOf", "anyOf", "oneOf", "if", "then", "else", "$ref", "properties", "items", "additionalProperties", "prefixItems", "dependentSchemas"];

    /// <summary>What the JSON Schema says is wrong with the (expanded) spec, with JSON paths.</summary>
    public static IEnumerable<(string Path, string Message)> Problems(JsonObject obj)
    {
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        // A valid spec needs only the verdict; the detailed list, which costs more, is built for an invalid one.
        if (Accepts(doc.RootElement))
        {
            return [];
        }
        var results = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. Describe(results, obj)];
    }

    /// <summary>JsonSchema.Net's verdict alone.</summary>
    internal static bool Accepts(JsonElement instance) =>
        Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;

    private static IEnumerable<(string Path, string Message)> Describe(EvaluationResults results, JsonObject instance)
    {
        var schemaRoot = (JsonObject)JsonNode.Parse(SpecSchema.Shipped)!;
        var details = results.Details?.Count > 0 ? results.Details : [results];
        foreach (var detail in details)
        {
            // Failing "if" conditions only choose a branch; they are not problems of the spec.
            if (detail.Errors is null || detail.IsValid || detail.EvaluationPath.ToString().Contains("/if/", StringComparison.Ordinal))
            {
                continue;
            }
            var pointer = detail.InstanceLocation.ToString();
            var jsonPath = JsonLocator.FromPointer(pointer);
            var schemaNode = SchemaAt(schemaRoot, instance, pointer);
            var value = ResolvePointer(instance, pointer);
            foreach (var (keyword, message) in detail.Errors)
            {
                if (AggregateKeywords.Contains(keyword))
                {
                    continue;
                }
                yield return keyword switch
                {
                    "enum" => (jsonPath, $"expected one of {string.Join(", ", (schemaNode?["enum"] as JsonArray ?? []).Select(n => n?.ToString()))}; got {Show(value)}"),
                    "const" => (jsonPath, $"expected {schemaNode?["const"]?.ToJsonString()}; got {Show(value)}"),
                    "type" => (jsonPath, $"expected {DescribeType(schemaNode?["type"])}; got {Show(value)}"),
                    "required" => Missing(jsonPath, schemaNode, value),
                    "false" or "" => Unknown(jsonPath, schemaRoot, instance, pointer),
                    "minItems" => (jsonPath, $"expected at least {schemaNode?["minItems"]} item(s)"),
                    "minimum" or "exclusiveMinimum" => (jsonPath, $"expected a number {(keyword == "minimum" ? ">=" : ">")} {schemaNode?[keyword]}; got {Show(value)}"),
                    "maximum" => (jsonPath, $"expected a number <= {schemaNode?["maximum"]}; got {Show(value)}"),
                    "pattern" => (jsonPath, $"expected {schemaNode?["x-expected"]?.ToString() ?? "text matching " + schemaNode?["pattern"]}; got {Show(value)}"),
                    _ => (jsonPath, message),
                };
            }
        }
    }

    /// <summary>The schema that applies to the instance at <paramref name="pointer"/>, following the "type" unions
    /// of sources, transforms and sinks (independent of the validator's own location reporting).</summary>
    private static JsonNode? SchemaAt(JsonObject root, JsonNode instance, string pointer)
    {
        JsonNode? node = root;
        JsonNode? at = instance;
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = Branch(root, node, at);
            if (node?["properties"]?[part] is { } property)
            {
                node = property;
            }
            else if (node?["items"] is JsonObject items)
            {
                node = items;
            }
            else if (node?["additionalProperties"] is JsonObject extra)
            {
                node = extra;
            }
            else
            {
                return null;
            }
            at = at switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return Branch(root, node, at);
    }

    private static JsonNode? Branch(JsonObject root, JsonNode? node, JsonNode? instance)
    {
        // A schema that refers to a definition (the http value request, which nests itself) describes through it.
        if (node?["$ref"]?.ToString() is { } definition && definition.StartsWith('#'))
        {
            node = ResolvePointer(root, definition.TrimStart('#'));
        }
        if (node?["allOf"] is not JsonArray branches || instance is not JsonObject obj || obj["type"] is not JsonValue type)
        {
            return node;
        }
        foreach (var branch in branches)
        {
            if (branch?["if"]?["properties"]?["type"]?["const"]?.ToString() == type.ToString() && branch["then"]?["$ref"]?.ToString() is { } reference)
            {
                return ResolvePointer(root, reference.TrimStart('#'));
            }
        }
        return node;
    }

    private static (string, string) Missing(string jsonPath, JsonNode? schemaNode, JsonNode? value)
    {
        var present = value is JsonObject o ? o.Select(kv => kv.Key).ToHashSet() : [];
        var missing = (schemaNode?["required"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).Where(n => !present.Contains(n)).ToList();
        return (jsonPath, missing.Count == 1 ? $"missing required field \"{missing[0]}\"" : $"missing required fields {string.Join(", ", missing.Select(m => $"\"{m}\""))}");
    }

    private static (string, string) Unknown(string jsonPath, JsonObject schemaRoot, JsonNode instance, string pointer)
    {
        var cut = pointer.LastIndexOf('/');
        var name = pointer[(cut + 1)..].Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
        var parent = SchemaAt(schemaRoot, instance, pointer[..Math.Max(cut, 0)]);
        var known = (parent?["properties"] as JsonObject)?.Select(kv => kv.Key).ToList() ?? [];
        var hint = Suggest.Closest(name, known);
        return (jsonPath, $"unknown field \"{name}\"" + (hint is not null ? $" (did you mean \"{hint}\"?)" : known.Count > 0 ? $"; expected one of {string.Join(", ", known)}" : ""));
    }

    private static string DescribeType(JsonNode? type) => type switch
    {
        JsonArray a => string.Join(" or ", a.Select(t => Article(t!.ToString()))),
        null => "another type",
        _ => Article(type.ToString()),
    };

    private static string Article(string t) => t switch
    {
        "object" or "array" or "integer" => $"an {t}",
        "null" => "null",
        _ => $"a {t}",
    };

    private static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        _ => value.ToJsonString(),
    };

    private static JsonNode? ResolvePointer(JsonNode? node, string pointer)
    {
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }
}
