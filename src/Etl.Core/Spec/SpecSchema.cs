// Builds the JSON Schema of the spec format from the spec records and the component registry.
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;

namespace Etl.Spec;

public static class SpecSchema
{
    public const string Id = "https://etl.dev/schema/pipeline.schema.json";

    /// <summary>Name of the embedded copy of pipelines/pipeline.schema.json.</summary>
    public const string ShippedResource = "pipeline.schema.json";

    private static readonly Lazy<JsonObject> Cached = new(Build);

    private static readonly Lazy<string> ShippedText = new(ReadShipped);

    /// <summary>The schema generated from the spec records and the component registry (a fresh copy).</summary>
    public static JsonObject Node => (JsonObject)Cached.Value.DeepClone();

    /// <summary>The schema generated from the spec records and the component registry, as `etl schema` prints it.</summary>
    public static string Text => Cached.Value.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";

    /// <summary>The schema built into the assembly (pipelines/pipeline.schema.json): the same text as <see cref="Text"/>,
    /// without the reflection over every spec type that generating it costs at start-up.</summary>
    public static string Shipped => ShippedText.Value;

    private static string ReadShipped()
    {
        using var stream = typeof(SpecSchema).Assembly.GetManifestResourceStream(ShippedResource)
            ?? throw new InvalidOperationException($"the assembly lacks its embedded {ShippedResource}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static JsonObject Build()
    {
        var defs = new JsonObject();
        var root = Export(typeof(PipelineSpec));
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        root["$id"] = Id;
        root["title"] = "Etl pipeline";
        var props = (JsonObject)root["properties"]!;
        props["source"] = Union(ComponentKind.Source, defs, "Where records come from.");
        props["transforms"] = new JsonObject
        {
            ["description"] = "Steps applied to every record, in order.",
            ["type"] = "array",
            ["items"] = Union(ComponentKind.Transform, defs, null),
        };
        props["sinks"] = new JsonObject
        {
            ["description"] = "Where records are written; every record goes to every sink.",
            ["type"] = "array",
            ["minItems"] = 1,
            ["items"] = Union(ComponentKind.Sink, defs, null),
        };
        var ordered = new JsonObject();
        foreach (var key in new[] { "$schema", "$id", "title" })
        {
            ordered[key] = root[key]!.DeepClone();
        }
        foreach (var (key, value) in root)
        {
            if (!ordered.ContainsKey(key))
            {
                ordered[key] = value?.DeepClone();
            }
        }
        // Referenced by the hand-written value-set schema, which nests itself through a request's own "values".
        defs["http.valueRequest"] = Export(typeof(Etl.Sources.Http.ValueRequestSpec));
        ordered["$defs"] = defs;
        return ordered;
    }

    private static JsonObject Union(ComponentKind kind, JsonObject defs, string? description)
    {
        var prefix = kind.ToString().ToLowerInvariant();
        var types = new JsonArray();
        var branches = new JsonArray();
        foreach (var d in Components.OfKind(kind))
        {
            types.Add(d.Type);
            var schema = Export(d.SpecType);
            var properties = (JsonObject)schema["properties"]!;
            var withType = new JsonObject { ["type"] = new JsonObject { ["const"] = d.Type, ["description"] = d.Summary } };
            foreach (var (k, v) in properties)
            {
                withType[k] = v?.DeepClone();
            }
            schema["properties"] = withType;
            schema["description"] = d.Summary;
            defs[$"{prefix}.{d.Type}"] = schema;
            branches.Add(new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = d.Type } } },
                ["then"] = new JsonObject { ["$ref"] = $"#/$defs/{prefix}.{d.Type}" },
            });
        }
        var union = new JsonObject();
        if (description is not null)
        {
            union["description"] = description;
        }
        union["type"] = "object";
        union["required"] = new JsonArray("type");
        union["properties"] = new JsonObject { ["type"] = new JsonObject { ["enum"] = types } };
        union["allOf"] = branches;
        return union;
    }

    private static JsonObject Export(Type type)
    {
        var node = SpecJson.Options.GetJsonSchemaAsNode(type, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = Describe,
        });
        var obj = (JsonObject)node;
        obj["additionalProperties"] = false;
        return obj;
    }

    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject obj)
        {
            return schema;
        }
        // A type read by a custom converter exports as "accept anything" (the exporter does not even visit it):
        // it states its own schema, placed here as the values of a dictionary or the items of a list.
        if (context.TypeInfo.ElementType?.GetCustomAttribute<SchemaJsonAttribute>() is { } custom)
        {
            obj[context.TypeInfo.KeyType is null ? "items" : "additionalProperties"] = JsonNode.Parse(custom.Json);
        }
        var provider = context.PropertyInfo?.AttributeProvider ?? (context.Path.IsEmpty ? context.TypeInfo.Type : null);
        if (provider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true).FirstOrDefault() is DescriptionAttribute d)
        {
            obj.Insert(0, "description", d.Description);
        }
        if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(SchemaPatternAttribute), true).FirstOrDefault() is SchemaPatternAttribute p)
        {
            // On a dictionary the pattern applies to each value.
            var target = obj["additionalProperties"] as JsonObject ?? obj;
            target["pattern"] = p.Pattern;
            target["x-expected"] = p.Expected;
        }
        if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(SchemaMinimumAttribute), true).FirstOrDefault() is SchemaMinimumAttribute min)
        {
            obj["minimum"] = min.Minimum;
        }
        if (context.TypeInfo.Type.IsClass && obj["properties"] is JsonObject && context.TypeInfo.Type != typeof(string))
        {
            obj["additionalProperties"] = false;
        }
        return obj;
    }
}

/// <summary>The JSON Schema of a type whose JSON shape a custom converter reads (several accepted forms).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class SchemaJsonAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>A regular expression the string value (or each value of a dictionary) must match, and what it means.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaPatternAttribute(string pattern, string expected) : Attribute
{
    public string Pattern { get; } = pattern;

    public string Expected { get; } = expected;
}

/// <summary>The smallest number the value may be, added to the generated schema.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaMinimumAttribute(double minimum) : Attribute
{
    public double Minimum { get; } = minimum;
}
