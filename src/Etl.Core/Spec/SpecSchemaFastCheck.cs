// Decides quickly whether the shipped JSON Schema accepts a spec, for the keywords that schema uses, without loading
// JsonSchema.Net: its start-up (every draft's meta-schemas built, patterns compiled to IL) cost more than the rest of
// `etl validate`. Only a spec it is sure of passes here; anything else goes to JsonSchema.Net, which words the problems.
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Etl.Spec;

internal static class SpecSchemaFastCheck
{
    /// <summary>What the check knows of an instance against a schema: sure either way, or not sure (a keyword or a value
    /// it does not judge), which leaves the verdict to JsonSchema.Net.</summary>
    public enum Verdict { Valid, Invalid, Unsure }

    // Keywords that assert nothing: an instance is judged as if they were absent.
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "x-expected"];

    private static readonly Lazy<JsonDocument> Schema = new(() => JsonDocument.Parse(SpecSchema.Shipped));

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    /// <summary>Parses the shipped schema, so that the first check does not wait for it.</summary>
    public static void WarmUp() => _ = Schema.Value;

    /// <summary>Whether the shipped schema accepts <paramref name="instance"/>: Valid and Invalid are sure.</summary>
    public static Verdict Check(JsonElement instance) => Evaluate(Schema.Value.RootElement, instance);

    private static Verdict Evaluate(JsonElement schema, JsonElement instance)
    {
        if (schema.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return schema.ValueKind == JsonValueKind.True ? Verdict.Valid : Verdict.Invalid;
        }
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return Verdict.Unsure;
        }
        var verdict = Verdict.Valid;
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Annotations.Contains(keyword.Name))
            {
                verdict = And(verdict, Keyword(keyword, schema, instance));
                if (verdict == Verdict.Invalid)
                {
                    return verdict;
                }
            }
        }
        return verdict;
    }

    private static Verdict Keyword(JsonProperty keyword, JsonElement schema, JsonElement instance) => keyword.Name switch
    {
        "type" => TypeMatches(keyword.Value, instance),
        "enum" => keyword.Value.ValueKind == JsonValueKind.Array ? Any(keyword.Value.EnumerateArray(), e => SameValue(e, instance)) : Verdict.Unsure,
        "const" => SameValue(keyword.Value, instance),
        "required" => instance.ValueKind != JsonValueKind.Object ? Verdict.Valid
            : All(keyword.Value.EnumerateArray(), name => name.ValueKind == JsonValueKind.String ? Sure(instance.TryGetProperty(name.GetString()!, out _)) : Verdict.Unsure),
        "properties" => instance.ValueKind != JsonValueKind.Object ? Verdict.Valid
            : All(instance.EnumerateObject(), p => keyword.Value.TryGetProperty(p.Name, out var sub) ? Evaluate(sub, p.Value) : Verdict.Valid),
        "additionalProperties" => AdditionalProperties(keyword.Value, schema, instance),
        "items" => instance.ValueKind != JsonValueKind.Array ? Verdict.Valid : All(instance.EnumerateArray(), item => Evaluate(keyword.Value, item)),
        "minItems" => instance.ValueKind != JsonValueKind.Array ? Verdict.Valid
            : keyword.Value.TryGetInt32(out var min) ? Sure(instance.GetArrayLength() >= min) : Verdict.Unsure,
        "minimum" => instance.ValueKind != JsonValueKind.Number ? Verdict.Valid : Compare(instance, keyword.Value, c => c >= 0),
        "pattern" => instance.ValueKind != JsonValueKind.String ? Verdict.Valid
            : keyword.Value.ValueKind == JsonValueKind.String ? Sure(PatternOf(keyword.Value.GetString()!).IsMatch(instance.GetString()!)) : Verdict.Unsure,
        "allOf" => All(keyword.Value.EnumerateArray(), sub => Evaluate(sub, instance)),
        "$ref" => keyword.Value.GetString() is { } reference && Resolve(reference) is { } target ? Evaluate(target, instance) : Verdict.Unsure,
        "if" => Conditional(keyword.Value, schema, instance),
        "then" or "else" => Verdict.Valid, // judged with their "if"
        _ => Verdict.Unsure,
    };

    private static Verdict AdditionalProperties(JsonElement additional, JsonElement schema, JsonElement instance)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return Verdict.Valid;
        }
        if (schema.TryGetProperty("patternProperties", out _))
        {
            return Verdict.Unsure;
        }
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        return All(instance.EnumerateObject(), p => hasProperties && properties.TryGetProperty(p.Name, out _) ? Verdict.Valid : Evaluate(additional, p.Value));
    }

    private static Verdict Conditional(JsonElement condition, JsonElement schema, JsonElement instance) => Evaluate(condition, instance) switch
    {
        Verdict.Valid => schema.TryGetProperty("then", out var then) ? Evaluate(then, instance) : Verdict.Valid,
        Verdict.Invalid => schema.TryGetProperty("else", out var otherwise) ? Evaluate(otherwise, instance) : Verdict.Valid,
        _ => Verdict.Unsure,
    };

    private static Verdict TypeMatches(JsonElement type, JsonElement instance) => type.ValueKind switch
    {
        JsonValueKind.String => IsOfType(type.GetString()!, instance),
        JsonValueKind.Array => Any(type.EnumerateArray(), t => t.ValueKind == JsonValueKind.String ? IsOfType(t.GetString()!, instance) : Verdict.Unsure),
        _ => Verdict.Unsure,
    };

    private static Verdict IsOfType(string type, JsonElement instance) => type switch
    {
        "object" => Sure(instance.ValueKind == JsonValueKind.Object),
        "array" => Sure(instance.ValueKind == JsonValueKind.Array),
        "string" => Sure(instance.ValueKind == JsonValueKind.String),
        "boolean" => Sure(instance.ValueKind is JsonValueKind.True or JsonValueKind.False),
        "null" => Sure(instance.ValueKind == JsonValueKind.Null),
        "number" => Sure(instance.ValueKind == JsonValueKind.Number),
        // 1 is an integer; whether 1.0 or 1e3 counts as one is left to JsonSchema.Net.
        "integer" => instance.ValueKind != JsonValueKind.Number ? Verdict.Invalid
            : instance.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0 ? Verdict.Valid : Verdict.Unsure,
        _ => Verdict.Unsure,
    };

    /// <summary>Equal JSON values; numbers are sure only when written alike, and objects and arrays are left to JsonSchema.Net.</summary>
    private static Verdict SameValue(JsonElement expected, JsonElement instance)
    {
        if (expected.ValueKind != instance.ValueKind)
        {
            return Verdict.Invalid;
        }
        return expected.ValueKind switch
        {
            JsonValueKind.String => Sure(expected.GetString() == instance.GetString()),
            JsonValueKind.Number => expected.GetRawText() == instance.GetRawText() ? Verdict.Valid : Verdict.Unsure,
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => Verdict.Valid,
            _ => Verdict.Unsure,
        };
    }

    private static Verdict Compare(JsonElement instance, JsonElement bound, Func<int, bool> holds) =>
        decimal.TryParse(instance.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        && decimal.TryParse(bound.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var limit)
            ? Sure(holds(value.CompareTo(limit)))
            : Verdict.Unsure;

    /// <summary>A "#/…" pointer into the shipped schema; null for anything else.</summary>
    private static JsonElement? Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            return reference == "#" ? Schema.Value.RootElement : null;
        }
        var node = Schema.Value.RootElement;
        foreach (var raw in reference[2..].Split('/'))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(part, out node))
            {
                return null;
            }
        }
        return node;
    }

    // The same regular expressions as JsonSchema.Net's "pattern" (ECMAScript), interpreted: they match a few values.
    private static Regex PatternOf(string pattern) => Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.ECMAScript));

    private static Verdict Sure(bool holds) => holds ? Verdict.Valid : Verdict.Invalid;

    private static Verdict And(Verdict a, Verdict b) =>
        a == Verdict.Invalid || b == Verdict.Invalid ? Verdict.Invalid : a == Verdict.Unsure || b == Verdict.Unsure ? Verdict.Unsure : Verdict.Valid;

    private static Verdict All<T>(IEnumerable<T> items, Func<T, Verdict> check)
    {
        var verdict = Verdict.Valid;
        foreach (var item in items)
        {
            verdict = And(verdict, check(item));
            if (verdict == Verdict.Invalid)
            {
                break;
            }
        }
        return verdict;
    }

    private static Verdict Any<T>(IEnumerable<T> items, Func<T, Verdict> check)
    {
        var verdict = Verdict.Invalid;
        foreach (var item in items)
        {
            var one = check(item);
            if (one == Verdict.Valid)
            {
                return one;
            }
            verdict = one == Verdict.Unsure ? one : verdict;
        }
        return verdict;
    }
}
