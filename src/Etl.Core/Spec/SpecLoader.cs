// Reads a spec file: JSON syntax, ${...} expansion, JSON Schema validation and semantic checks, every problem at once.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Records;
using Etl.Storage;
using Json.Schema;

namespace Etl.Spec;

public static class SpecLoader
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(SpecSchema.Shipped, new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static readonly HashSet<string> AggregateKeywords = ["allOf", "anyOf", "oneOf", "if", "then", "else", "$ref", "properties", "items", "additionalProperties", "prefixItems", "dependentSchemas"];

    /// <summary>Builds what checking a spec needs, the JSON Schema validator and the serializer's view of every spec
    /// record, so that a second core can do it while the first reads the command line and the spec file.</summary>
    public static void WarmUp()
    {
        _ = Schema.Value;
        SpecJson.Options.GetTypeInfo(typeof(PipelineSpec));
        foreach (var component in Components.All)
        {
            SpecJson.Options.GetTypeInfo(component.SpecType);
        }
    }

    /// <summary>Reads and checks the spec at <paramref name="path"/> (any storage); on the local disk this completes
    /// at once.</summary>
    public static LoadedSpec Load(string path, IReadOnlyDictionary<string, string>? overrides = null) =>
        LoadAsync(path, overrides, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<LoadedSpec> LoadAsync(string path, IReadOnlyDictionary<string, string>? overrides, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await StorageRegistry.For(path).ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new SpecException([new SpecError(path, 0, 0, "$", $"cannot read the spec: {e.Message}")]);
        }
        if (bytes is null)
        {
            throw new SpecException([new SpecError(path, 0, 0, "$", $"cannot read the spec: Could not find file '{StorageRegistry.For(path).FullPath(path)}'.")]);
        }
        return Parse(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), path, overrides);
    }

    public static LoadedSpec Parse(string text, string file, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var locator = new JsonLocator(text);
        var errors = new List<SpecError>();
        void Add(string jsonPath, string message)
        {
            var (line, column) = locator.Find(jsonPath);
            errors.Add(new SpecError(file, line, column, jsonPath, message));
        }

        var obj = ParseObject(text, file);
        var parameters = Parameters(obj, overrides, Add);
        var secrets = new Redactor();
        var expansionErrors = new List<(string Path, string Message)>();
        Templates.ExpandAll(obj, "$", parameters, secrets, expansionErrors);
        foreach (var (p, m) in expansionErrors)
        {
            Add(p, m);
        }
        foreach (var (p, m) in SchemaProblems(obj))
        {
            Add(p, m);
        }
        if (errors.Count > 0)
        {
            throw new SpecException(Dedupe(errors));
        }
        PipelineSpec spec;
        try
        {
            spec = obj.Deserialize<PipelineSpec>(SpecJson.Options) ?? throw new JsonException("the spec is null");
        }
        catch (JsonException e)
        {
            Add(e.Path ?? "$", FirstSentence(e.Message));
            throw new SpecException(errors);
        }
        foreach (var (p, m) in SpecChecks.Check(spec))
        {
            Add(p, m);
        }
        if (errors.Count > 0)
        {
            throw new SpecException(Dedupe(errors));
        }
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return new LoadedSpec(StorageRegistry.For(file).FullPath(file), spec, parameters, secrets, sha);
    }

    /// <summary>The spec's JSON object, or a spec error naming where the syntax breaks.</summary>
    private static JsonObject ParseObject(string text, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SpecException([new SpecError(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, e.Path ?? "$", "invalid JSON: " + FirstSentence(e.Message))]);
        }
        // A JsonObject would throw on a repeated key only when first read, with no position to report.
        if (DuplicateKeys.Find(text, file) is { } duplicate)
        {
            throw new SpecException([duplicate]);
        }
        return root as JsonObject ?? throw new SpecException([new SpecError(file, 1, 1, "$", "expected a JSON object")]);
    }

    /// <summary>Parameters: the spec's defaults, then --param overrides (which must name a declared parameter).</summary>
    private static Dictionary<string, string> Parameters(JsonObject obj, IReadOnlyDictionary<string, string>? overrides, Action<string, string> add)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["parameters"] is JsonObject declared)
        {
            foreach (var (k, v) in declared)
            {
                parameters[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            }
        }
        foreach (var (k, v) in overrides ?? new Dictionary<string, string>())
        {
            if (!parameters.ContainsKey(k))
            {
                var hint = Suggest.Closest(k, parameters.Keys);
                add("$.parameters", $"--param {k}: the spec declares no parameter '{k}'" + (hint is not null ? $" (did you mean '{hint}'?)" : ""));
            }
            parameters[k] = v;
        }
        return parameters;
    }

    /// <summary>What the JSON Schema says is wrong with the (expanded) spec, with JSON paths.</summary>
    private static IEnumerable<(string Path, string Message)> SchemaProblems(JsonObject obj)
    {
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        // A valid spec needs only the verdict; the detailed list, which costs more, is built for an invalid one.
        if (Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
        {
            return [];
        }
        var results = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid ? [] : [.. Describe(results, obj)];
    }

    private static List<SpecError> Dedupe(List<SpecError> errors) =>
        [.. errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column)];

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

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
