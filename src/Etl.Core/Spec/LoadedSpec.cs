// A spec that passed validation, with its parameters resolved and the secrets it uses.
using System.Security.Cryptography;
using System.Text;

namespace Etl.Spec;

public sealed record LoadedSpec(
    string FilePath,
    PipelineSpec Spec,
    IReadOnlyDictionary<string, string> Parameters,
    Redactor Secrets)
{
    private string? _sha256;

    /// <summary>The spec file's text as read (before expansion: placeholders, never their values).</summary>
    internal string Text { get; init; } = "";

    /// <summary>SHA-256 of <see cref="Text"/> in lowercase hex, made when first read (by the commit): the digest needs
    /// OpenSSL, whose loading would otherwise take CPU from the run's start-up.</summary>
    public string Sha256 => _sha256 ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>Loads what <see cref="Sha256"/> needs (OpenSSL, on Linux: ≈ 10 ms) ahead of the first digest.</summary>
    internal static void WarmUpDigest() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The serializer options the spec was read with (they know the components it uses).</summary>
    public System.Text.Json.JsonSerializerOptions SerializerOptions { get; init; } = SpecJson.Options;

    /// <summary>Whether the source spec holds a runtime placeholder (${incremental.last}) for the runner to fill: without
    /// one, the runner takes the source spec as it is, without writing it out as JSON to look.</summary>
    public bool SourceHasRuntimePlaceholders { get; init; } = true;
}
