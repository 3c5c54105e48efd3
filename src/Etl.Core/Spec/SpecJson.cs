// The System.Text.Json settings of spec files: camelCase, strict, and "type" picking the component record.
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Etl.Spec;

public static class SpecJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(AddComponentTypes);
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
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly();
        return options;
    }

    private static void AddComponentTypes(JsonTypeInfo info)
    {
        var kind = info.Type == typeof(SourceSpec) ? ComponentKind.Source
            : info.Type == typeof(TransformSpec) ? ComponentKind.Transform
            : info.Type == typeof(SinkSpec) ? ComponentKind.Sink
            : (ComponentKind?)null;
        if (kind is null)
        {
            return;
        }
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "type",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var d in Components.OfKind(kind.Value))
        {
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(d.SpecType, d.Type));
        }
    }
}
