// A spec that passed validation, with its parameters resolved and the secrets it uses.

namespace Etl.Spec;

public sealed record LoadedSpec(
    string FilePath,
    PipelineSpec Spec,
    IReadOnlyDictionary<string, string> Parameters,
    Redactor Secrets,
    string Sha256)
{
    /// <summary>The serializer options the spec was read with (they know the components it uses).</summary>
    public System.Text.Json.JsonSerializerOptions SerializerOptions { get; init; } = SpecJson.Options;

    /// <summary>Whether the source spec holds a runtime placeholder (${incremental.last}) for the runner to fill: without
    /// one, the runner takes the source spec as it is, without writing it out as JSON to look.</summary>
    public bool SourceHasRuntimePlaceholders { get; init; } = true;
}
