// Holds a partitioned sink's rows until the end of the run, in a memory budget: encoded into pages reused for the whole
// run, spilled as sorted runs to scratch files when the pages are full, then handed out one partition at a time so each
// partition gets one file.
using Etl.Columns;
using Etl.Storage;

namespace Etl.Sinks;

internal sealed class PartitionBuffer : IDisposable
{
    /// <summary>Pages are allocated once and reused after each spill, so the buffer makes no garbage however many
    /// partitions share it.</summary>
    private const int PageSize = 1 << 20;

    /// <summary>Spill runs hold a partition's rows in chunks of about this size (a row larger than it is a chunk alone).</summary>
    private const int ChunkSize = 1 << 16;

    // Per buffered row: its place in the pages (the list entry), charged to the budget.
    private const int RowRefBytes = 12;

    private readonly RowCodec _codec;
    private readonly long _budgetBytes;
    private readonly int _maxRuns;
    private readonly ScratchFolder _scratch;

    // Every partition seen (spilled ones too), so the count and the key set survive a spill.
    private readonly Dictionary<string, List<RowRef>> _partitions = new(StringComparer.Ordinal);
    private readonly List<byte[]> _pages = [];
    private readonly List<string> _runs = [];
    private int _page;
    private int _used;
    private long _refBytes;
    private long _pageBytes;
    private int _runSequence;

    public PartitionBuffer(RowCodec codec, long budgetBytes, int maxRuns, ScratchFolder scratch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, 2L * PageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, 2);
        (_codec, _budgetBytes, _maxRuns, _scratch) = (codec, budgetBytes, maxRuns, scratch);
        _pages.Add(new byte[PageSize]);
        _pageBytes = PageSize;
    }

    /// <summary>Partitions seen so far.</summary>
    public int Partitions => _partitions.Count;

    /// <summary>Rows spilled to scratch runs so far (a measure of the extra work the budget caused).</summary>
    public long SpilledRows { get; private set; }

    /// <summary>Runs currently on the scratch disk.</summary>
    public int Runs => _runs.Count;

    private long Bytes => _pageBytes + _refBytes;

    /// <summary>Buffers <paramref name="row"/> (encoded: just the file's columns) in <paramref name="partition"/>,
    /// spilling first when the budget is full; true when that partition is new.</summary>
    public bool Add(string partition, object?[] row) => Add(partition, new BoxedRow(_codec, row));

    /// <summary>Buffers row <paramref name="row"/> of a conformed batch as <see cref="Add(string, object?[])"/> does,
    /// encoded straight from its typed columns.</summary>
    public bool Add(string partition, ColumnBatch batch, int row) => Add(partition, new BatchRow(_codec, batch, row));

    private bool Add<TRow>(string partition, TRow row)
        where TRow : struct, IEncodableRow
    {
        var isNew = false;
        if (!_partitions.TryGetValue(partition, out var refs))
        {
            refs = [];
            _partitions.Add(partition, refs);
            isNew = true;
        }
        var size = row.Size;
        if (size > PageSize / 4)
        {
            // A very large row gets a page of its own (never the size of a standard page), dropped at the next spill.
            var own = new byte[Math.Max(size, PageSize + 1)];
            row.Write(own);
            _pages.Add(own);
            _pageBytes += own.Length;
            refs.Add(new RowRef(_pages.Count - 1, 0, size));
        }
        else
        {
            Reserve(size);
            var written = row.Write(_pages[_page].AsSpan(_used));
            refs.Add(new RowRef(_page, _used, written));
            _used += written;
        }
        _refBytes += RowRefBytes;
        return isNew;
    }

    /// <summary>Makes room for <paramref name="size"/> bytes at <see cref="_used"/> of page <see cref="_page"/>.</summary>
    private void Reserve(int size)
    {
        if (PageSize - _used >= size)
        {
            return;
        }
        // The next free page after the current one (an oversize page is never reused).
        var next = _page + 1;
        while (next < _pages.Count && _pages[next].Length != PageSize)
        {
            next++;
        }
        if (next >= _pages.Count && Bytes + PageSize > _budgetBytes)
        {
            Spill();
            return;
        }
        if (next >= _pages.Count)
        {
            _pages.Add(new byte[PageSize]);
            _pageBytes += PageSize;
            next = _pages.Count - 1;
        }
        (_page, _used) = (next, 0);
    }

    /// <summary>Writes every buffered row to a new sorted run and empties the pages; merges the runs into one when
    /// there are more than the open-file budget allows to read at once.</summary>
    public void Spill()
    {
        var name = $"run-{_runSequence++:D5}.spill";
        using (var writer = new SpillRunWriter(_scratch.Create(name)))
        {
            foreach (var (key, refs) in _partitions.Where(p => p.Value.Count > 0).OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                WritePartition(writer, key, refs);
                SpilledRows += refs.Count;
                refs.Clear();
            }
            writer.Complete();
        }
        _runs.Add(name);
        DropRows();
        if (_runs.Count > _maxRuns)
        {
            MergeRuns();
        }
    }

    private void WritePartition(SpillRunWriter writer, string key, List<RowRef> refs)
    {
        var chunks = 0;
        for (var (i, length) = (0, 0); i < refs.Count; i++)
        {
            if (length == 0 || length + refs[i].Length > ChunkSize)
            {
                (chunks, length) = (chunks + 1, 0);
            }
            length += refs[i].Length;
        }
        writer.StartPartition(key, chunks);
        for (var start = 0; start < refs.Count;)
        {
            var (end, length) = (start, 0);
            while (end < refs.Count && (end == start || length + refs[end].Length <= ChunkSize))
            {
                length += refs[end++].Length;
            }
            writer.StartChunk(length);
            for (var i = start; i < end; i++)
            {
                writer.WriteRow(_pages[refs[i].Page].AsSpan(refs[i].Offset, refs[i].Length));
            }
            start = end;
        }
    }

    /// <summary>Copies every run into one (chunks move as they are, in run order, so each partition keeps its row
    /// order) and deletes them.</summary>
    private void MergeRuns()
    {
        var name = $"run-{_runSequence++:D5}.spill";
        var readers = _runs.Select(r => new SpillRunReader(_scratch.OpenRead(r))).ToList();
        try
        {
            using var writer = new SpillRunWriter(_scratch.Create(name));
            while (readers.Where(r => r.Key is not null).Select(r => r.Key!).Min(StringComparer.Ordinal) is { } key)
            {
                var holding = readers.Where(r => r.Key == key).ToList();
                writer.StartPartition(key, holding.Sum(r => r.Chunks));
                foreach (var chunk in holding.SelectMany(r => r.ReadChunks()))
                {
                    writer.WriteChunk(chunk);
                }
            }
            writer.Complete();
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
        _runs.ForEach(_scratch.Delete);
        _runs.Clear();
        _runs.Add(name);
    }

    /// <summary>Hands out every partition in ascending order, its rows in the order they came, in batches of up to
    /// <paramref name="batchSize"/> rows of the codec's <see cref="RowCodec.RowSchema"/> (<paramref name="write"/>), then
    /// says it is complete (<paramref name="finish"/>); the buffer is empty afterwards.</summary>
    public async Task DrainAsync(int batchSize, Func<string, ColumnBatch, Task> write, Func<string, Task> finish)
    {
        var readers = _runs.Select(r => new SpillRunReader(_scratch.OpenRead(r))).ToList();
        try
        {
            var batch = new DrainBatch(_codec, batchSize);
            foreach (var (key, refs) in _partitions.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                foreach (var chunk in readers.Where(r => r.Key == key).SelectMany(r => r.ReadChunks()))
                {
                    for (var at = 0; at < chunk.Count;)
                    {
                        batch.Read(chunk, ref at);
                        await batch.WriteIfFullAsync(key, write);
                    }
                }
                foreach (var row in refs)
                {
                    var at = row.Offset;
                    batch.Read(_pages[row.Page], ref at);
                    await batch.WriteIfFullAsync(key, write);
                }
                await batch.WriteAsync(key, write);
                await finish(key);
            }
        }
        finally
        {
            readers.ForEach(r => r.Dispose());
        }
        Reset();
    }

    /// <summary>The rows read back so far, as column builders that become a batch every <c>batchSize</c> rows.</summary>
    private sealed class DrainBatch(RowCodec codec, int batchSize)
    {
        // Builders start small and grow: thousands of partitions of a few rows each must not take a full batch each.
        private const int FirstCapacity = 1024;
        private ColumnBuilder[] _builders = codec.NewBuilders(Math.Min(batchSize, FirstCapacity));
        private int _count;

        public void Read(ReadOnlySpan<byte> source, ref int at)
        {
            codec.ReadInto(source, ref at, _builders);
            _count++;
        }

        public Task WriteIfFullAsync(string key, Func<string, ColumnBatch, Task> write) =>
            _count < batchSize ? Task.CompletedTask : WriteAsync(key, write);

        public Task WriteAsync(string key, Func<string, ColumnBatch, Task> write)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }
            var batch = ColumnBatch.Conformed(codec.RowSchema, [.. _builders.Select(b => b.Build())], _count);
            (_builders, _count) = (codec.NewBuilders(Math.Min(batchSize, FirstCapacity)), 0);
            return write(key, batch);
        }
    }

    private void Reset()
    {
        _runs.ForEach(_scratch.Delete);
        _runs.Clear();
        _partitions.Clear();
        DropRows();
    }

    /// <summary>Forgets the rows in the pages: oversize pages go, the standard pages stay for the rows to come.</summary>
    private void DropRows()
    {
        _pages.RemoveAll(p => p.Length != PageSize);
        (_page, _used, _refBytes, _pageBytes) = (0, 0, 0, (long)_pages.Count * PageSize);
    }

    public void Dispose()
    {
        _partitions.Clear();
        _pages.Clear();
        _scratch.Dispose();
    }

    // A row to encode, boxed or in a batch: generic structs, so adding a row allocates nothing.
    private interface IEncodableRow
    {
        int Size { get; }

        int Write(Span<byte> target);
    }

    private readonly record struct BoxedRow(RowCodec Codec, object?[] Row) : IEncodableRow
    {
        public int Size => Codec.SizeOf(Row);

        public int Write(Span<byte> target) => Codec.Write(Row, target);
    }

    private readonly record struct BatchRow(RowCodec Codec, ColumnBatch Batch, int Row) : IEncodableRow
    {
        public int Size => Codec.SizeOf(Batch, Row);

        public int Write(Span<byte> target) => Codec.Write(Batch, Row, target);
    }

    /// <summary>Where one buffered row is: page, offset and length of its bytes.</summary>
    private readonly record struct RowRef(int Page, int Offset, int Length);
}
