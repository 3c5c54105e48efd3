// A part file a sink has finished in the staging folder, ready for the committer to publish.
namespace Etl.Lake;

/// <summary>A finished file in the staging folder and where it goes in the lake, relative to the sink folder, with the
/// columns it holds (files of one run differ when its schema evolved).</summary>
public sealed record StagedFile(string StagingPath, string RelativePath, string? Partition, long Rows, long Bytes,
    IReadOnlyList<ManifestColumn>? Schema = null);
