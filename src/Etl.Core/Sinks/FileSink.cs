// Shared machinery of file sinks: staging folder, Hive partitions, file rolling, naming and checking files.
using Etl.Columns;
using Etl.Lake;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Sinks;

/// <summary>One open part file of a format.</summary>
public interface IPartWriter : IAsyncDisposable
{
    /// <summary>Writes <paramref name="rows"/>, whose columns are the file's, in its schema's order and types (a Parquet
    /// row group per call).</summary>
    Task WriteAsync(RowGroup rows, CancellationToken cancellationToken);

    /// <summary>Flushes and closes the file; it must be complete and readable afterwards.</summary>
    Task CloseAsync(CancellationToken cancellationToken);
}

public abstract class FileSink(SinkSpec spec, RunContext run) : ISink
{
    /// <summary>Memory a partitioned sink holds rows in before it spills them to scratch files (shared by its writers).</summary>
    public const long PartitionMemoryBytes = 16L << 20;

    /// <summary>The least memory a writer of a partitioned sink buffers rows in, however many writers share the budget.</summary>
    public const long MinPartitionMemoryBytes = 4L << 20;

    /// <summary>Rows held back to make one row group are written once they take this much memory, even before the
    /// spec's batch size is reached: wide rows do not make memory grow with their width.</summary>
    public const long RowGroupMemoryBytes = 32L << 20;

    // Rows held back until they make a row group of the spec's batch size (unpartitioned sinks).
    private readonly List<BatchRange> _pending = [];
    private int _pendingRows;
    private long _pendingBytes;

    // Partitioned sinks buffer rows until the end (one file per partition, few files open); null without partitionBy.
    private PartitionBuffer? _buffer;
    private PartitionKeys? _partitionKeys;
    private SinkPartitions? _partitionCounts;

    private readonly Dictionary<string, OpenFile> _open = new(StringComparer.Ordinal);
    private readonly List<StagedFile> _done = [];
    private TableSchema? _schema;
    private TableSchema? _fileSchema;
    private int[] _partitionColumns = [];
    private int[] _fileColumns = [];
    private (TableSchema? Schema, IReadOnlyList<ManifestColumn> Columns) _manifestColumns = (null, []);
    private string _staging = "";
    private int _writer;
    private int _sequence;

    public SinkSpec Spec => spec;

    /// <summary>Where the sink's files live (the local disk, an object store).</summary>
    protected IStorage Storage { get; } = StorageRegistry.For(spec.Path);

    protected RunContext Run => run;

    protected abstract string Extension { get; }

    /// <summary>Batches (row groups, for Parquet) one file takes before the sink starts the next; null: no limit.</summary>
    protected virtual int? MaxWritesPerFile => null;

    protected abstract Task<IPartWriter> CreateWriterAsync(string path, TableSchema schema, CancellationToken cancellationToken);

    /// <summary>Re-opens a closed file and returns its row count, or throws when it is not a complete file.</summary>
    protected abstract Task<long> CountRowsAsync(string path, CancellationToken cancellationToken);

    public Task<long> CountFileRowsAsync(string path, CancellationToken cancellationToken) => CountRowsAsync(path, cancellationToken);

    public Task OpenAsync(TableSchema schema, string stagingFolder, int writerIndex, CancellationToken cancellationToken)
    {
        _staging = stagingFolder;
        _writer = writerIndex;
        Configure(schema);
        return Task.CompletedTask;
    }

    public async Task ChangeSchemaAsync(TableSchema schema, CancellationToken cancellationToken)
    {
        // A Parquet file has one schema and a CSV file one header: finish them and continue in new files.
        await FlushPendingAsync(cancellationToken);
        await DrainAsync(cancellationToken);
        foreach (var file in _open.Values.ToList())
        {
            await FinishAsync(file, cancellationToken);
        }
        _open.Clear();
        Configure(schema);
    }

    private void Configure(TableSchema schema)
    {
        _schema = schema;
        var partitionBy = spec.PartitionBy ?? [];
        foreach (var column in partitionBy)
        {
            if (schema.IndexOf(column) < 0)
            {
                throw new InvalidOperationException($"sink '{spec.Path}': partitionBy column '{column}' is not in the output columns ({string.Join(", ", schema.Columns.Select(c => c.Name))})");
            }
        }
        _partitionColumns = [.. partitionBy.Select(schema.IndexOf)];
        _fileColumns = [.. Enumerable.Range(0, schema.Count).Where(i => !_partitionColumns.Contains(i))];
        _fileSchema = new TableSchema([.. _fileColumns.Select(i => schema.Columns[i])]);
        if (_partitionColumns.Length > 0)
        {
            _buffer?.Dispose();
            _buffer = NewBuffer(schema);
            _partitionKeys = new PartitionKeys(schema, _partitionColumns);
        }
    }

    private PartitionBuffer NewBuffer(TableSchema schema)
    {
        var writers = Math.Max(1, spec.Writers);
        var openFiles = Math.Max(SinkSpec.MinOpenFilesPerWriter, spec.MaxOpenFiles / writers);
        // While draining, one file is written and one re-opened to check it: the rest may be spill runs read at once.
        var maxRuns = openFiles - 2;
        // Spills of a local sink go into its staging folder (removed with it, even after a crash); an object store's
        // to the local temporary folder.
        var scratch = ScratchFolder.Create(Storage.Scheme == "file" ? _staging : null, $"_spill-{_writer}");
        _partitionCounts ??= run.Counters.PartitionsOf(spec);
        return new PartitionBuffer(new RowCodec(schema, _fileColumns), Math.Max(MinPartitionMemoryBytes, PartitionMemoryBytes / writers), maxRuns, scratch);
    }

    public Task WriteBatchAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        WriteBatchAsync(ColumnBatch.FromRows(_schema!, rows), cancellationToken);

    public async Task WriteBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        if (_buffer is not null)
        {
            BufferPartitions(batch);
            return;
        }
        if (batch.RowCount == 0)
        {
            return;
        }
        _pending.Add(new BatchRange(batch, 0, batch.RowCount));
        _pendingRows += batch.RowCount;
        _pendingBytes += batch.EstimatedBytes;
        if (_pendingRows >= RowGroupRows || _pendingBytes >= RowGroupMemoryBytes)
        {
            await FlushPendingAsync(cancellationToken, keepPartial: _pendingBytes < RowGroupMemoryBytes);
        }
    }

    private int RowGroupRows => run.Spec.Spec.Batch?.Size ?? BatchSpec.DefaultSize;

    /// <summary>Writes the rows held back in row groups of the spec's batch size, each made of ranges of the batches
    /// (nothing is copied here); the rows of a last, partial row group are kept back when <paramref name="keepPartial"/>.</summary>
    private async Task FlushPendingAsync(CancellationToken ct, bool keepPartial = false)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var all = new RowGroup([.. _pending]);
        _pending.Clear();
        (_pendingRows, _pendingBytes) = (0, 0);
        for (var start = 0; start < all.RowCount; start += RowGroupRows)
        {
            var count = Math.Min(RowGroupRows, all.RowCount - start);
            var group = all.Slice(start, count);
            if (keepPartial && count < RowGroupRows)
            {
                _pending.AddRange(group.Parts);
                _pendingRows = count;
                _pendingBytes = group.Parts.Sum(p => p.Batch.EstimatedBytes * p.Count / Math.Max(1, p.Batch.RowCount));
                return;
            }
            await WritePartitionAsync("", group, ct);
        }
    }

    private void BufferPartitions(ColumnBatch batch)
    {
        for (var row = 0; row < batch.RowCount; row++)
        {
            if (_buffer!.Add(_partitionKeys!.KeyAt(batch, row), batch, row) && _partitionCounts!.CountSeen() > spec.MaxPartitions)
            {
                throw TooManyPartitions();
            }
        }
    }

    private InvalidOperationException TooManyPartitions() => new(
        $"sink '{spec.Path}': partitionBy {string.Join(", ", spec.PartitionBy!)} makes more than maxPartitions ({spec.MaxPartitions:N0}) " +
        $"partitions ({_partitionCounts!.Seen:N0} so far); nothing was committed. Partition by a coarser column, or raise maxPartitions " +
        "if that many folders are meant.");

    /// <summary>Writes every buffered partition into its own file (split only by maxRowsPerFile and the Parquet row
    /// group limit), one file open at a time.</summary>
    private async Task DrainAsync(CancellationToken ct)
    {
        if (_buffer is null)
        {
            return;
        }
        var batchSize = run.Spec.Spec.Batch?.Size ?? BatchSpec.DefaultSize;
        await _buffer.DrainAsync(batchSize, (partition, rows) => WritePartitionAsync(partition, RowGroup.Of(rows), ct), async partition =>
        {
            if (_open.Remove(partition, out var file))
            {
                await FinishAsync(file, ct);
            }
            _partitionCounts!.CountWritten();
        });
    }

    private async Task WritePartitionAsync(string partition, RowGroup rows, CancellationToken ct)
    {
        var offset = 0;
        while (offset < rows.RowCount)
        {
            if (!_open.TryGetValue(partition, out var file))
            {
                file = await NewFileAsync(partition, ct);
                _open[partition] = file;
            }
            var room = spec.MaxRowsPerFile is { } max ? (int)Math.Min(max - file.Rows, int.MaxValue) : int.MaxValue;
            var take = Math.Min(room, rows.RowCount - offset);
            var slice = rows.Slice(offset, take);
            await file.Writer.WriteAsync(slice, ct);
            file.Rows += take;
            file.Writes++;
            offset += take;
            if ((spec.MaxRowsPerFile is { } limit && file.Rows >= limit) || (MaxWritesPerFile is { } writes && file.Writes >= writes))
            {
                await FinishAsync(file, ct);
                _open.Remove(partition);
            }
        }
    }

    private async Task<OpenFile> NewFileAsync(string partition, CancellationToken ct)
    {
        // Shards of one run share its id: the shard index keeps their file names apart.
        var shard = run.Shard is { } sh ? $"-s{sh.Index}" : "";
        var name = $"part-{run.RunId}{shard}-{_writer}-{_sequence++:D5}{Extension}";
        var relative = partition.Length == 0 ? name : partition + "/" + name;
        var path = LakeCommitter.StagedPath(Storage, _staging, relative);
        return new OpenFile(path, relative, partition, _fileSchema!, await CreateWriterAsync(path, _fileSchema!, ct));
    }

    /// <summary>For a run that wrote no rows: one file of <paramref name="schema"/> with none, so a reader of the sink's
    /// folder (a DuckDB glob, Spark, pandas) finds the columns and zero rows instead of no file at all, as Spark and
    /// DuckDB write an empty result. A partitioned sink has no partition to put it in: none.</summary>
    public async Task<StagedFile?> WriteEmptyAsync(TableSchema schema, string stagingFolder, CancellationToken cancellationToken)
    {
        if (spec.PartitionBy is { Count: > 0 })
        {
            return null;
        }
        await OpenAsync(schema, stagingFolder, _writer, cancellationToken);
        await FinishAsync(await NewFileAsync("", cancellationToken), cancellationToken);
        await Storage.FlushToDiskAsync([_done[^1].StagingPath], cancellationToken);
        return _done[^1];
    }

    private async Task FinishAsync(OpenFile file, CancellationToken ct)
    {
        await file.Writer.CloseAsync(ct);
        await file.Writer.DisposeAsync();
        var counted = await CountRowsAsync(file.Path, ct);
        if (counted != file.Rows)
        {
            throw new InvalidDataException($"{file.Path}: wrote {file.Rows} rows but the file holds {counted}");
        }
        var bytes = (await Storage.StatAsync(file.Path, ct))?.Length ?? throw new FileNotFoundException($"{file.Path}: the staged file is gone");
        _done.Add(new StagedFile(file.Path, file.Relative, file.Partition.Length == 0 ? null : file.Partition, file.Rows, bytes,
            ManifestColumnsOf(file.Schema)));
    }

    /// <summary>The columns of a file schema as the manifest lists them, made once: thousands of partition files share them.</summary>
    private IReadOnlyList<ManifestColumn> ManifestColumnsOf(TableSchema schema)
    {
        if (!ReferenceEquals(_manifestColumns.Schema, schema))
        {
            _manifestColumns = (schema, [.. schema.Columns.Select(c => new ManifestColumn(c.Name, c.Type.ToString()))]);
        }
        return _manifestColumns.Columns;
    }

    public async Task<IReadOnlyList<StagedFile>> CloseAsync(CancellationToken cancellationToken)
    {
        await FlushPendingAsync(cancellationToken);
        await DrainAsync(cancellationToken);
        _buffer?.Dispose();
        _buffer = null;
        foreach (var file in _open.Values.ToList())
        {
            await FinishAsync(file, cancellationToken);
        }
        _open.Clear();
        // One flush for every file of the run: with thousands of partitions, a wait on the disk per file would dominate.
        await Storage.FlushToDiskAsync([.. _done.Select(f => f.StagingPath)], cancellationToken);
        return _done;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in _open.Values)
        {
            try
            {
                await file.Writer.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                // The run is failing already; the staging folder is removed with whatever is in it.
            }
        }
        _open.Clear();
        // Deletes the spill files (a run that fails keeps nothing of them).
        _buffer?.Dispose();
        _buffer = null;
        GC.SuppressFinalize(this);
    }

    private sealed class OpenFile(string path, string relative, string partition, TableSchema schema, IPartWriter writer)
    {
        public TableSchema Schema { get; } = schema;
        public string Path { get; } = path;
        public string Relative { get; } = relative;
        public string Partition { get; } = partition;
        public IPartWriter Writer { get; } = writer;
        public long Rows { get; set; }
        public int Writes { get; set; }
    }
}
