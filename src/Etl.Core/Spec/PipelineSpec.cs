// The pipeline spec as written in JSON: plain immutable records, validated before anything runs.
using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Etl.Spec;

public sealed record PipelineSpec
{
    [JsonPropertyName("$schema")]
    [Description("The JSON Schema of this file, for editors.")]
    public string? SchemaUri { get; init; }

    [Description("Name of the pipeline; used in file names, manifests and logs.")]
    public required string Name { get; init; }

    [Description("Free text describing the pipeline.")]
    public string? Description { get; init; }

    [Description("Default values of ${name} parameters; override with --param name=value.")]
    public Dictionary<string, string>? Parameters { get; init; }

    [Description("Where records come from.")]
    public required SourceSpec Source { get; init; }

    [Description("Steps applied to every record, in order.")]
    public IReadOnlyList<TransformSpec>? Transforms { get; init; }

    [JsonPropertyName("schema")]
    [SchemaPattern(Records.ColumnType.SchemaPattern, Records.ColumnType.Expected)]
    [Description("Output columns and their types (string, bool, int32, int64, double, decimal(p,s), date, timestamp; add 'not null' to forbid nulls). Without it, types are inferred from the first batch.")]
    public Dictionary<string, string>? Columns { get; init; }

    [Description("When records stop fitting the schema fixed from the first batch: evolve (default) adds new columns and widens types where no value is lost (int32 → int64 → double or decimal, date → timestamp), starting new files with the wider schema; freeze dead-letters records that do not fit; discardColumns drops columns that appear later. Declared columns never change type.")]
    public SchemaChangePolicy SchemaChange { get; init; } = SchemaChangePolicy.Evolve;

    [Description("With schemaChange evolve: a column may also widen to string when a value fits no wider type (a number column meeting \"n/a\"). Default false: such a record is dead-lettered.")]
    public bool WidenToString { get; init; }

    [Description("How records are grouped for writing.")]
    public BatchSpec? Batch { get; init; }

    [Description("Where records are written; every record goes to every sink.")]
    public required IReadOnlyList<SinkSpec> Sinks { get; init; }

    [Description("What happens to records and requests that fail.")]
    public ErrorsSpec? Errors { get; init; }

    [Description("Stop the run and fail after this many seconds.")]
    [SchemaMinimum(0.001)]
    public double? TimeoutSeconds { get; init; }
}

public sealed record BatchSpec
{
    public const int DefaultSize = 10_000;
    public const int DefaultBoundedCapacity = 8_192;

    [Description("Records per row group (Parquet) that each writer makes from the batches it takes. Default 10000.")]
    [SchemaMinimum(1)]
    public int Size { get; init; } = DefaultSize;

    [Description("Records each block of the mesh holds at most (BoundedCapacity; records travel in batches of up to 4096). Default 8192.")]
    [SchemaMinimum(1)]
    public int BoundedCapacity { get; init; } = DefaultBoundedCapacity;

    [Description("Records a transform works on at once (MaxDegreeOfParallelism). Above 1, order within a file is not kept. Default 1.")]
    [SchemaMinimum(1)]
    public int Parallelism { get; init; } = 1;
}

public sealed record ErrorsSpec
{
    [Description("Folder of the dead-letter files (JSON lines). Default <first sink>/_errors.")]
    public string? DeadLetterPath { get; init; }

    [Description("Failed records allowed before the run fails with exit code 3 and commits nothing. Default 0.")]
    [SchemaMinimum(0)]
    public long MaxFailedRecords { get; init; }

    [Description("Failed HTTP requests allowed before the run fails with exit code 3 and commits nothing. Default 0.")]
    [SchemaMinimum(0)]
    public long MaxFailedRequests { get; init; }
}

/// <summary>Base of every source spec; the JSON "type" picks the concrete record.</summary>
public abstract record SourceSpec
{
    /// <summary>Whether text values of undeclared columns are typed by inference (false for a CSV source with
    /// inferTypes false).</summary>
    public virtual bool InfersTextTypes() => true;

    [Description("Read only what is new since the last committed run: records whose cursorField is at or below the highest value written before are skipped, and ${incremental.last} holds that value.")]
    public IncrementalSpec? Incremental { get; init; }
}

/// <summary>Incremental reading: the highest cursor value written is kept in the first sink's _state.json.</summary>
public sealed record IncrementalSpec : IValidatableSpec
{
    [Description("Field whose value only grows as records change (a timestamp, a number or a sortable string); a dotted path for nested records.")]
    public required string CursorField { get; init; }

    [Description("Cursor value the first run starts after (and every --full-refresh run); absent: the first run reads everything.")]
    public string? Initial { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) => SpecChecks.CheckPath(CursorField, $"{path}.cursorField");
}

/// <summary>Base of every transform spec; the JSON "type" picks the concrete record.</summary>
public abstract record TransformSpec;

/// <summary>Base of every sink spec; the JSON "type" picks the concrete record.</summary>
public abstract record SinkSpec
{
    public const int DefaultWriters = 1;

    /// <summary>Well below the common `ulimit -n` of 1024, with room for a second sink and the process's own files.</summary>
    public const int DefaultMaxOpenFiles = 256;

    /// <summary>The smallest share of open files a writer works with: one file being written, one being checked, two
    /// spill runs being merged or read.</summary>
    public const int MinOpenFilesPerWriter = 4;

    public const int DefaultMaxPartitions = 100_000;

    [Description("Folder the sink writes into.")]
    public required string Path { get; init; }

    [Description("Columns whose values name Hive-style sub-folders (country=FR/date=2026-11-28); they are not repeated inside the files.")]
    public IReadOnlyList<string>? PartitionBy { get; init; }

    [Description("overwrite (default): the run's files replace the sink's previous data (only the partitions it wrote, with partitionBy); append: files are added; errorIfExists: fail if the sink already holds data.")]
    public SinkMode Mode { get; init; } = SinkMode.Overwrite;

    [Description("Start a new file after this many rows. Default: one file per writer and partition (Parquet: a new file after 1000 row groups).")]
    [SchemaMinimum(1)]
    public long? MaxRowsPerFile { get; init; }

    [Description("Writers working in parallel, each on its own files. Default 1.")]
    [SchemaMinimum(1)]
    public int Writers { get; init; } = DefaultWriters;

    [Description("Files the sink keeps open at once, whatever the number of partitions (its writers share them, at least 4 each). Default 256.")]
    [SchemaMinimum(MinOpenFilesPerWriter)]
    public int MaxOpenFiles { get; init; } = DefaultMaxOpenFiles;

    [Description("With partitionBy: the run fails, committing nothing, when the partition columns take more distinct values than this. Default 100000.")]
    [SchemaMinimum(1)]
    public int MaxPartitions { get; init; } = DefaultMaxPartitions;
}

public enum SinkMode { Overwrite, Append, ErrorIfExists }
