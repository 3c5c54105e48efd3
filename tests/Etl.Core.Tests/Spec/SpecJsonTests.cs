// SpecJson: a spec is read through metadata generated at build time, and reads exactly as reflection's metadata reads
// it — the same values, the same property initializers where the JSON is silent, the same errors.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Etl.Core.Tests.TestSupport;
using Etl.Spec;

namespace Etl.Core.Tests.Spec;

public sealed class SpecJsonTests
{
    private static readonly JsonSerializerOptions Generated = SpecJson.ForComponents(Components.All.Select(d => SpecJson.ComponentKey(d.Kind, d.Type)));

    private static JsonSerializerOptions Reflection => SpecJson.Options;

    [Fact]
    public void EveryComponentSpecRecord_HasBuildTimeMetadata()
    {
        foreach (var d in Components.All)
        {
            Assert.True(SpecJsonContext.Default.GetTypeInfo(d.SpecType) is not null,
                $"{d.SpecType.Name}: add [JsonSerializable(typeof({d.SpecType.Name}))] to SpecJsonContext");
        }
    }

    [Fact]
    public void Deserialize_ExampleAndGoldenSpecs_ReadAsWithReflection()
    {
        var specs = ExampleSpecs.Examples().Concat(ExampleSpecs.GoldenCorpus()).ToList();

        Assert.True(specs.Count > 30, $"only {specs.Count} specs found");
        foreach (var (name, json) in specs)
        {
            Assert.Equal((name, Read(json, typeof(PipelineSpec), Reflection)), (name, Read(json, typeof(PipelineSpec), Generated)));
        }
    }

    [Fact]
    public void Serialize_ComponentsOfExampleAndGoldenSpecs_WritesAsReflectionDoes()
    {
        foreach (var (name, json) in ExampleSpecs.Examples().Concat(ExampleSpecs.GoldenCorpus()))
        {
            var spec = json.Deserialize<PipelineSpec>(Reflection)!;
            foreach (var component in new object[] { spec.Source }.Concat(spec.Transforms ?? []).Concat(spec.Sinks))
            {
                Assert.Equal((name, JsonSerializer.Serialize(component, component.GetType(), Reflection)),
                    (name, JsonSerializer.Serialize(component, component.GetType(), Generated)));
            }
        }
    }

    [Fact]
    public void Deserialize_MutatedExamples_ReadOrFailAsWithReflection()
    {
        foreach (var json in ExampleSpecs.Examples().SelectMany(e => ExampleSpecs.Mutations(e.Json)))
        {
            Assert.Equal(Read(json, typeof(PipelineSpec), Reflection), Read(json, typeof(PipelineSpec), Generated));
        }
    }

    [Fact]
    public void Deserialize_SpecRecordWithOnlyItsRequiredProperties_KeepsItsInitializers()
    {
        var compared = 0;
        foreach (var type in SpecRecordTypes())
        {
            if (OnlyRequired(type) is not { } json)
            {
                continue;
            }
            Assert.Equal((type.Name, Read(json, type, Reflection)), (type.Name, Read(json, type, Generated)));
            compared++;
        }
        Assert.True(compared >= 15, $"only {compared} spec records compared");
    }

    [Fact]
    public void Deserialize_HttpSourceWithoutRetry_KeepsTheDefaultRetryPolicy()
    {
        var json = JsonNode.Parse("""{ "type": "http", "baseUrl": "http://127.0.0.1:1", "path": "/x", "retry": { "maxAttempts": 2 } }""")!;

        var source = Assert.IsType<Etl.Sources.Http.HttpSourceSpec>(json.Deserialize<SourceSpec>(Generated));

        Assert.Equal(Etl.Sources.Http.HttpSourceSpec.DefaultConcurrency, source.Concurrency);
        Assert.Equal(2, source.Retry!.MaxAttempts);
        Assert.Equal(Etl.Sources.Http.HttpRetrySpec.DefaultRetryOn, source.Retry.RetryOn);
    }

    [Fact]
    public void WarmUp_ThenASetOfComponents_ReadsSpecsAsWithReflection()
    {
        SpecJson.WarmUp();
        // A set no other test asks for, so its view is built after the warm-up.
        var afterWarmUp = SpecJson.ForComponents(Components.All.Select(d => SpecJson.ComponentKey(d.Kind, d.Type)).Append("source:after-warm-up"));

        foreach (var (name, json) in ExampleSpecs.Examples())
        {
            Assert.Equal((name, Read(json, typeof(PipelineSpec), Reflection)), (name, Read(json, typeof(PipelineSpec), afterWarmUp)));
        }
    }

    [Fact]
    public void ReadThrough_OfEveryComponent_IsAnObjectItsOwnViewReads()
    {
        foreach (var d in Components.All)
        {
            var options = SpecJson.ForComponents([SpecJson.ComponentKey(d.Kind, d.Type)]);
            foreach (var type in d.ReadThrough)
            {
                Assert.Equal((d.Type, type.Name, JsonTypeInfoKind.Object), (d.Type, type.Name, options.GetTypeInfo(type).Kind));
            }
        }
    }

    /// <summary>The record as the reflection options write it back, or the error reading it failed with.</summary>
    private static string Read(JsonNode json, Type type, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Serialize(json.Deserialize(type, options), type, Reflection);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return $"{e.GetType().Name} at {(e as JsonException)?.Path}: {e.Message}";
        }
    }

    /// <summary>Every concrete record a spec is made of: the components' records and what their properties hold.</summary>
    private static IEnumerable<Type> SpecRecordTypes()
    {
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>([typeof(PipelineSpec), .. Components.All.Select(d => d.SpecType)]);
        while (pending.TryDequeue(out var type))
        {
            if (!seen.Add(type) || Reflection.GetTypeInfo(type) is not { Kind: JsonTypeInfoKind.Object } info)
            {
                continue;
            }
            foreach (var property in info.Properties)
            {
                foreach (var held in Held(property.PropertyType).Where(t => t.Namespace?.StartsWith("Etl", StringComparison.Ordinal) == true))
                {
                    pending.Enqueue(held);
                }
            }
        }
        return seen.Where(t => !t.IsAbstract && t.IsClass);
    }

    private static Type[] Held(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying ? [underlying]
        : type.IsGenericType ? type.GetGenericArguments()
        : type.IsArray ? [type.GetElementType()!]
        : [type];

    /// <summary>A JSON object with only the record's required properties (placeholder values); null when one of them
    /// takes a value this test cannot make up (a polymorphic component).</summary>
    private static JsonObject? OnlyRequired(Type type)
    {
        var json = new JsonObject();
        foreach (var property in Reflection.GetTypeInfo(type).Properties.Where(p => p.IsRequired))
        {
            JsonNode? value = property.PropertyType == typeof(string) ? "x"
                : property.PropertyType.IsAssignableFrom(typeof(List<string>)) ? new JsonArray("x")
                : property.PropertyType.IsAssignableFrom(typeof(Dictionary<string, string>)) ? new JsonObject { ["x"] = "x" }
                : null;
            if (value is null)
            {
                return null;
            }
            json[property.Name] = value;
        }
        return json;
    }
}
