// A part file a sink has finished in the staging folder, ready for the committer to publish.
namespace Etl.Lake;

/// <summary>A finished file in the staging folder and where it goes in the lake, relative to the sink folder.</summary>
public sealed record StagedFile(string StagingPath, string RelativePath, string? Partition, long Rows, long Bytes);
