// The System.Text.Json settings of spec files: camelCase, strict, and "type" picking the component record.
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Etl.Spec;

public static class SpecJson
{
    /// <summary>Options that know every registered component (schema generation, `etl plan`).</summary>
    public static JsonSerializerOptions Options { get; } = Create(null);

    private static readonly ConcurrentDictionary<string, JsonSerializerOptions> ByComponents = new(StringComparer.Ordinal);

    /// <summary>Options that know only the components named ("source:http", "sink:parquet"): System.Text.Json builds its
    /// view of every derived type of a polymorphic base at once, ≈ 0.1 s for the whole registry at start-up, while a spec
    /// uses two or three. Cached per set; the first time a set is asked for, its view of the spec records is built on
    /// threads of their own, so the caller can check the spec meanwhile.</summary>
    public static JsonSerializerOptions ForComponents(IEnumerable<string> components)
    {
        var set = components.ToHashSet(StringComparer.Ordinal);
        return ByComponents.GetOrAdd(string.Join(",", set.Order(StringComparer.Ordinal)), key =>
        {
            var options = Create(set);
            BuildAside(options, typeof(PipelineSpec));
            // The source's records are most of the view (an HTTP source's requests, pagination, retry, auth, value
            // sets): made on a second thread beside the rest, the whole is ready ≈ 10 ms sooner (the loader waits on it).
            // What its converters read through the serializer follows on the same thread (≈ 7 ms for an HTTP source's
            // value sets, which reading the spec would otherwise build on the loader's thread).
            if (Components.OfKind(ComponentKind.Source).FirstOrDefault(d => set.Contains(ComponentKey(d.Kind, d.Type))) is { } source)
            {
                BuildAside(options, [source.SpecType, .. source.ReadThrough]);
            }
            return options;
        });
    }

    /// <summary>Builds the view of <paramref name="types"/>, one after the other, on a thread of its own.</summary>
    private static void BuildAside(JsonSerializerOptions options, params Type[] types) =>
        _ = Task.Factory.StartNew(() =>
        {
            foreach (var type in types)
            {
                options.GetTypeInfo(type);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Builds, and drops, a view of the spec records that names no component: most of what the first
    /// <see cref="ForComponents"/> costs is loading the types and code every set shares (the pipeline's own records, the
    /// generated metadata, the converters of their properties), which this does on the loader's warm-up thread while the
    /// command line and the spec file are read. The set a spec names is then built in about half the time: `etl validate`
    /// 170 → 152 ms, an HTTP run's first request ≈ 20 ms sooner, for ≈ 6 ms more CPU.</summary>
    internal static void WarmUp() => Create(new HashSet<string>()).GetTypeInfo(typeof(PipelineSpec));

    /// <summary>The key of a component in <see cref="ForComponents"/>: its kind and its spec "type".</summary>
    public static string ComponentKey(ComponentKind kind, string type) => $"{kind.ToString().ToLowerInvariant()}:{type}";

    /// <summary>With <paramref name="components"/> (a spec being read), the build-time metadata; without (the schema of
    /// every component, `etl plan`), reflection's, which also reads the attributes the schema is made of.</summary>
    private static JsonSerializerOptions Create(IReadOnlySet<string>? components)
    {
        IJsonTypeInfoResolver resolver = components is null
            ? new DefaultJsonTypeInfoResolver { Modifiers = { info => AddComponentTypes(info, null) } }
            : JsonTypeInfoResolver.Combine(SpecJsonContext.Default, new DefaultJsonTypeInfoResolver())
                .WithAddedModifier(KeepInitializers)
                .WithAddedModifier(info => AddComponentTypes(info, components));
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            AllowOutOfOrderMetadataProperties = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = true,
            TypeInfoResolver = resolver,
        };
        foreach (var converter in SpecEnums.Converters)
        {
            options.Converters.Add(converter);
        }
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    /// <summary>The generated metadata builds a record with `init` properties through one object initializer that sets
    /// them all, `default` for those the JSON lacks, so their initializers (`concurrency`, `retry.retryOn`…) would be lost
    /// (dotnet/runtime#84484). Instead the record is made with its own constructor and each property read is set on it,
    /// as reflection's metadata does. Setters first: once the type has a creator, its properties no longer name the
    /// constructor parameters they stood for.</summary>
    private static void KeepInitializers(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.CreateObject is not null || info.Type.IsAbstract
            || info.Type.GetConstructor(Type.EmptyTypes) is null || !info.Properties.Any(p => p.AssociatedParameter is not null))
        {
            return;
        }
        foreach (var property in info.Properties)
        {
            if (property.AssociatedParameter is not null)
            {
                property.Set = property.AttributeProvider is PropertyInfo clr
                    ? clr.SetValue
                    : throw new InvalidOperationException($"{info.Type.Name}.{property.Name}: the generated metadata names no property");
            }
        }
        var type = info.Type;
        info.CreateObject = () => Activator.CreateInstance(type)!;
    }

    private static void AddComponentTypes(JsonTypeInfo info, IReadOnlySet<string>? components)
    {
        var kind = info.Type == typeof(SourceSpec) ? ComponentKind.Source
            : info.Type == typeof(TransformSpec) ? ComponentKind.Transform
            : info.Type == typeof(SinkSpec) ? ComponentKind.Sink
            : (ComponentKind?)null;
        if (kind is null)
        {
            return;
        }
        var derived = Components.OfKind(kind.Value).Where(d => components is null || components.Contains(ComponentKey(d.Kind, d.Type))).ToList();
        if (derived.Count == 0)
        {
            return; // a spec without transforms: the base is never read, and polymorphism needs a derived type
        }
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "type",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var d in derived)
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(d.SpecType, d.Type));
        }
    }
}
