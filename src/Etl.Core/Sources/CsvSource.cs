// Reads CSV files (a file or glob): RFC 4180 quoting, header, delimiter, encoding; empty fields read as null.
using System.ComponentModel;
using System.Text;
using CsvHelper;
using Etl.Lake;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Sources;

public sealed record CsvSourceSpec : SourceSpec, IValidatableSpec, IDescribedSource, IStoragePathSpec
{
    public Task<string> DescribeAsync(LoadedSpec loaded, CancellationToken cancellationToken) => FileGlob.DescribeAsync(Path, CsvSource.Extensions, cancellationToken);

    public const int DefaultSampleRows = 1000;

    [Description("A CSV file, a folder, or a glob such as data/in/orders*.csv.")]
    public required string Path { get; init; }

    public IEnumerable<(string JsonPath, string Location)> Locations(string path) => [($"{path}.path", Path)];

    [Description("Field separator, one character. Default \",\".")]
    public string Delimiter { get; init; } = ",";

    [Description("Whether the first line names the columns. Default true.")]
    public bool Header { get; init; } = true;

    [Description("Quote character, one character. Default '\"'.")]
    public string Quote { get; init; } = "\"";

    [Description("Text encoding: utf-8 (with or without BOM), utf-16, latin1 (iso-8859-1), windows-1252 or another .NET name. Default utf-8; a row with bytes that are not UTF-8 is a dead letter.")]
    public string Encoding { get; init; } = "utf-8";

    [Description("auto (default): files ending .gz or .gzip are gzip, .zst or .zstd zstd, others plain; or gzip, zstd, none for every file. A compressed file is decompressed as it is read, in flat memory; one that is damaged or cut short fails the run naming it.")]
    public InputCompression Compression { get; init; } = InputCompression.Auto;

    [Description("RFC 4180 strictly: a quote inside an unquoted field (37°36'37.8\"N) or text after a closing quote makes the row a dead letter. Default false: such quotes are read literally, as Python's csv module, pandas and spreadsheets do.")]
    public bool Strict { get; init; }

    [Description("Column names when the file has no header (default column1, column2, ...).")]
    public IReadOnlyList<string>? Columns { get; init; }

    [Description("Infer column types (int64, double, bool, date, timestamp) from the first rows, as DuckDB does; false reads every column as text. Columns named in the spec's schema always take that type. Default true.")]
    public bool InferTypes { get; init; } = true;

    public override bool InfersTextTypes() => InferTypes;

    [Description("Rows sampled to infer column types. Default 1000.")]
    public int SampleRows { get; init; } = DefaultSampleRows;

    public IEnumerable<(string Path, string Message)> Validate(string path)
    {
        if (Delimiter.Length != 1 || Delimiter[0] > 127)
        {
            yield return ($"{path}.delimiter", $"expected one ASCII character; got \"{Delimiter}\"");
        }
        if (Quote.Length != 1 || Quote[0] > 127)
        {
            yield return ($"{path}.quote", $"expected one ASCII character; got \"{Quote}\"");
        }
        string? encodingError = null;
        try
        {
            _ = CsvSource.ResolveEncoding(Encoding);
        }
        catch (ArgumentException)
        {
            encodingError = $"unknown encoding \"{Encoding}\"; expected utf-8, utf-16, latin1, ascii or another .NET encoding name";
        }
        if (encodingError is not null)
        {
            yield return ($"{path}.encoding", encodingError);
        }
        if (SampleRows < 1)
        {
            yield return ($"{path}.sampleRows", $"expected a number >= 1; got {SampleRows}");
        }
    }
}

public sealed class CsvSource(CsvSourceSpec spec, RunContext run) : ISource
{
    /// <summary>The file endings read from a folder.</summary>
    public static readonly IReadOnlyList<string> Extensions = InputCompressions.WithCompressed(".csv", ".tsv", ".txt");

    private CsvSourceSpec Spec => spec;

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<CsvSourceSpec>(
        "csv", "Reads CSV files (file, folder or glob).", (s, r) => new CsvSource(s, r));

    public static Encoding ResolveEncoding(string name)
    {
        // windows-1252 and the other code pages are in the framework but not registered by default.
        System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return name.ToLowerInvariant() switch
        {
            "utf-8" or "utf8" => new UTF8Encoding(false),
            "latin1" or "latin-1" or "iso-8859-1" => System.Text.Encoding.Latin1,
            _ => System.Text.Encoding.GetEncoding(name),
        };
    }

    /// <summary>What the UTF-8 decoder puts in place of bytes that are not UTF-8.</summary>
    private const char Replacement = '\uFFFD';

    private bool IsUtf8 => ResolveEncoding(spec.Encoding) is UTF8Encoding;

    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        var files = (await LakeFiles.ResolveAsync(spec.Path, Extensions, cancellationToken)).Where(f => run.OwnsFile(spec.Path, f.Path)).ToList();
        run.Progress.Total = files.Sum(f => f.Length);
        var declared = run.Spec.Spec.Columns is { } c ? TableSchema.FromSpec(c) : null;
        long doneBefore = 0;
        foreach (var file in files)
        {
            await ReadFileAsync(file, declared, output, doneBefore, cancellationToken);
            doneBefore += file.Length;
            run.Progress.SetDone(doneBefore);
        }
    }

    /// <summary>Bytes of records per chunk parsed in parallel (tests make it small to put chunk boundaries where they
    /// want); a smaller file is read on one thread.</summary>
    internal int ChunkBytes { get; init; } = CsvChunker.DefaultChunkBytes;

    /// <summary>Chunks parsed at once: one per core, up to this many (each holds a chunk's rows until sent).</summary>
    private const int MaxParsers = 8;

    private Task<Stream> OpenAsync(string path, CancellationToken ct) => InputCompressions.OpenAsync(path, spec.Compression, ct);

    private bool IsCompressed(string path) => InputCompressions.For(path, spec.Compression) != InputCompression.None;

    private async Task ReadFileAsync(LakeFile file, TableSchema? declared, ISourceOutput output, long doneBefore, CancellationToken ct)
    {
        var headerFields = 0;
        var stream = await OpenAsync(file.Path, ct);
        using var records = CsvRecordReader.OverFile(stream, spec, file.Path, output, () => headerFields);
        var reader = records.Reader;
        reader.ReadHeader();
        // Without a header or names, the first row says how many columns there are; it is still read as a row.
        _ = !spec.Header && spec.Columns is not { Count: > 0 } && records.ReadFirstRowAhead();
        string[] names = spec.Header
            ? Unique(reader.Headers)
            : spec.Columns is { Count: > 0 } cols ? [.. cols] : [.. Enumerable.Range(1, reader.FieldCount).Select(i => $"column{i}")];
        headerFields = names.Length;
        // Hive partition folders of a lake (country=FR/…) become columns after the file's own, typed like them.
        var partitions = file.Partitions.Where(p => !names.Contains(p.Key, StringComparer.Ordinal)).ToArray();
        var rows = new CsvRows(this, records, file.Path, names, partitions, declared, output, ct);
        foreach (var (fields, line, notUtf8) in rows.SampleAndInferTypes())
        {
            if (rows.AddFields(fields, line, notUtf8))
            {
                await rows.SendAsync(last: false);
            }
        }
        var reports = records.Reports;
        var more = records.ReadAccepted();
        var chunked = false;
        if (more && records.Reports == reports && CanSplit(file) && reader.RawRecord.Length <= MaxSplitRecordBytes)
        {
            chunked = true;
            // The rest of the file from this record on, in chunks parsed in parallel; the rows read so far go first.
            await rows.SendAsync(last: false);
            // A chunk's rows, guessed from this record's length (some room for shorter ones).
            var chunkRows = ChunkBytes / Math.Max(1, reader.RawRecord.Length) * 9 / 8;
            var plan = new ChunkPlan(names, partitions, declared, rows.Types, headerFields, chunkRows);
            var tail = await ReadChunksAsync(file, plan, reader.ByteOffset, records.LineNumber, output, doneBefore, ct);
            more = tail is { } offset && records.SkipTo(offset);
        }
        var n = 0;
        while (more)
        {
            if ((++n & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                run.Progress.SetDone(doneBefore + InputCompressions.FileBytes(stream, reader.ByteOffset));
            }
            if (rows.AddCurrent())
            {
                await rows.SendAsync(last: false);
            }
            more = records.ReadAccepted();
        }
        // A file that had no row to send (a header only) still sends its columns, so a run without rows commits them.
        await rows.SendAsync(last: true, columnsIfNone: !chunked);
    }

    /// <summary>A file whose first record after the sample is longer is read by one reader: a chunk of such wide rows
    /// holds too few of them to pay for its reader and its hundreds of column buffers (measured on 500 columns of
    /// 1.7 KB a row: twice the memory and 40% more CPU in chunks).</summary>
    public const int MaxSplitRecordBytes = 1024;

    /// <summary>About how many times its size a compressed CSV file holds (gzip and zstd make text 4 to 10 times smaller).</summary>
    private const long CompressionRatio = 4;

    /// <summary>Whether the rest of <paramref name="file"/> can be read in chunks: UTF-8 (whose byte offsets are the
    /// file's), a header (which fixes the field count every chunk checks), and more than a chunk of it (a compressed
    /// file is taken to hold a few times its size: its chunks are cut from its decompressed bytes).</summary>
    private bool CanSplit(LakeFile file) =>
        spec.Header && IsUtf8 && file.Length * (IsCompressed(file.Path) ? CompressionRatio : 1) > ChunkBytes && spec.Delimiter[0] != spec.Quote[0]
        && spec.Delimiter[0] is not ('\r' or '\n') && spec.Quote[0] is not ('\r' or '\n');

    /// <summary>What every chunk of a file is read with: the columns and types the start of the file settled.</summary>
    private sealed record ChunkPlan(string[] Names, KeyValuePair<string, string?>[] Partitions, TableSchema? Declared, ColumnType?[] Types, int HeaderFields, int ChunkRows);

    /// <summary>Reads the file from byte <paramref name="offset"/> (where a record starts, on line
    /// <paramref name="line"/>) in chunks of whole records, parsed on one worker per core and sent in file order. Returns
    /// null when the chunks held every record, or the offset of the first record they left to the caller.</summary>
    private async Task<long?> ReadChunksAsync(LakeFile file, ChunkPlan plan, long offset, long line, ISourceOutput output, long doneBefore, CancellationToken ct)
    {
        await using var stream = await OpenAsync(file.Path, ct);
        if (!await SkipToAsync(stream, offset, ct))
        {
            return offset;
        }
        var (delimiter, quote) = (spec.Delimiter[0], spec.Quote[0]);
        // Each chunk starts with a header of the file's field count, so that CsvHelper checks every record against it.
        var prefix = Encoding.UTF8.GetBytes(string.Join(delimiter, Enumerable.Range(0, plan.HeaderFields).Select(i => $"c{i}")) + "\n");
        var chunker = new CsvChunker(stream, prefix, delimiter, quote, ChunkBytes, offset, line);
        var parsers = Math.Clamp(Environment.ProcessorCount, 1, MaxParsers);
        await OrderedChunks.RunAsync(chunker.ReadAllAsync,
            async (chunk, token) => (Rows: await ParseChunkAsync(file.Path, chunk, chunker, plan, output.BatchRows, token), chunk.End),
            async (parsed, token) =>
            {
                // Progress counts what was sent, not what the chunker read ahead.
                await parsed.Rows.ReplayAsync(output, position => run.Progress.SetDone(doneBefore + InputCompressions.FileBytes(stream, position)), token);
                run.Progress.SetDone(doneBefore + InputCompressions.FileBytes(stream, parsed.End));
            }, parsers, parsers + 1, ct);
        return chunker.TailOffset;
    }

    /// <summary>Moves <paramref name="stream"/> to byte <paramref name="offset"/>; false when the file starts with a
    /// UTF-16 or UTF-32 byte order mark (CsvHelper then read it as such, and its offsets are not the file's).</summary>
    private static async Task<bool> SkipToAsync(Stream stream, long offset, CancellationToken ct)
    {
        var head = new byte[Math.Min(offset, 4)];
        await stream.ReadExactlyAsync(head, ct);
        if (head is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0, 0, 0xFE, 0xFF])
        {
            return false;
        }
        if (stream.CanSeek)
        {
            stream.Position = offset;
            return true;
        }
        var skip = new byte[81920];
        for (var left = offset - head.Length; left > 0;)
        {
            var n = await stream.ReadAsync(skip.AsMemory(0, (int)Math.Min(left, skip.Length)), ct);
            if (n == 0)
            {
                throw new EndOfStreamException("the file ended before the record the reader was on");
            }
            left -= n;
        }
        return true;
    }

    /// <summary>Parses one chunk into column batches and dead letters, as the whole file's reader would have.</summary>
    private async Task<RecordedSourceOutput> ParseChunkAsync(string file, CsvChunk chunk, CsvChunker chunker, ChunkPlan plan, int batchRows, CancellationToken ct)
    {
        CsvRecordReader? records = null;
        // The file offset of the current record: the chunk's records start after its header line.
        var headerBytes = chunk.Length - (chunk.End - chunk.Start);
        var recorded = new RecordedSourceOutput(batchRows, () => chunk.Start + records!.Reader.ByteOffset - headerBytes);
        try
        {
            records = CsvRecordReader.OverChunk(chunk.Bytes.AsMemory(0, chunk.Length), chunk.FirstLine, spec, file, recorded, () => plan.HeaderFields);
            records.Reader.ReadHeader();
            var rows = new CsvRows(this, records, file, plan.Names, plan.Partitions, plan.Declared, recorded, ct);
            rows.Start(plan.Types, plan.ChunkRows, chunk.Length);
            while (records.ReadAccepted())
            {
                if (rows.AddCurrent())
                {
                    await rows.SendAsync(last: false);
                }
            }
            await rows.SendAsync(last: true);
        }
        finally
        {
            records?.Dispose();
            chunker.Return(chunk);
        }
        return recorded;
    }

    /// <summary>The rows of one file: column types (declared or inferred from a sample), and each row typed into the
    /// batch being built, which is sent when full.</summary>
    private sealed class CsvRows(CsvSource source, CsvRecordReader records, string file, string[] fileNames, KeyValuePair<string, string?>[] partitions,
        TableSchema? declared, ISourceOutput output, CancellationToken ct)
    {
        private readonly CsvReader _reader = records.Reader;
        private readonly int _fileColumns = fileNames.Length;
        private readonly bool _utf8 = source.IsUtf8;
        private readonly string[] _names = [.. fileNames, .. partitions.Select(p => p.Key)];
        private ColumnType?[] _types = [];
        private CsvBatchBuilder _batch = null!;

        /// <summary>The partition columns' values as their column types, the same for every row of the file; null when
        /// one does not convert, and every row takes the text path, which words the error.</summary>
        private object?[]? _partitionValues;

        /// <summary>For a chunk, where its bytes end; with the rows sent so far, it tells about how many rows are left.</summary>
        private int? _chunkEnd;
        private long _sentRows;
        private bool _sent;

        /// <summary>Reads up to sampleRows rows to infer the types of undeclared columns; returns them to be added first.</summary>
        public List<(string?[] Fields, long Line, int NotUtf8)> SampleAndInferTypes()
        {
            _types = new ColumnType?[_names.Length];
            for (var i = 0; i < _names.Length; i++)
            {
                var at = declared?.IndexOf(_names[i]) ?? -1;
                _types[i] = at >= 0 ? declared!.Columns[at].Type : null;
            }
            var sample = new List<(string?[] Fields, long Line, int NotUtf8)>();
            if (source.Spec.InferTypes && _types.Any(t => t is null))
            {
                while (sample.Count < source.Spec.SampleRows && records.ReadAccepted())
                {
                    sample.Add((Fields(out var notUtf8), records.LineNumber, notUtf8));
                }
                for (var i = 0; i < _names.Length; i++)
                {
                    _types[i] ??= TypeInference.Infer(sample.Select(s => (object?)s.Fields[i]));
                }
            }
            Start(_types, chunkRows: null);
            return sample;
        }

        /// <summary>The column types, declared or inferred.</summary>
        public ColumnType?[] Types => _types;

        /// <summary>Starts the first batch, with columns of <paramref name="types"/> (for a chunk of a large file of
        /// about <paramref name="chunkRows"/> rows in <paramref name="chunkEnd"/> bytes, see <see cref="CsvBatchBuilder"/>).</summary>
        public void Start(ColumnType?[] types, int? chunkRows, int? chunkEnd = null)
        {
            (_types, _chunkEnd) = (types, chunkEnd);
            _batch = new CsvBatchBuilder(file, _names, _types, _utf8, output.BatchRows, chunkRows);
            _partitionValues = PartitionValues();
        }

        private object?[]? PartitionValues()
        {
            var values = new object?[partitions.Length];
            for (var p = 0; p < partitions.Length; p++)
            {
                var text = partitions[p].Value;
                if (_utf8 && text is not null && text.Contains(Replacement, StringComparison.Ordinal))
                {
                    return null;
                }
                var type = _types[_fileColumns + p];
                if (type is null || type.Kind == ColumnKind.String || text is null)
                {
                    values[p] = text;
                }
                else if (!ValueConverter.TryConvert(text, type with { Nullable = true }, out values[p], out _))
                {
                    return null;
                }
            }
            return values;
        }

        /// <summary>Adds the current row: fields parse straight from their UTF-8 bytes; anything unusual takes the text
        /// path, which also words the error. True when the batch is full.</summary>
        public bool AddCurrent()
        {
            var row = _batch.Row;
            if (_partitionValues is not { } constants || !TrySetFields(row))
            {
                return AddFields(Fields(out var notUtf8), records.LineNumber, notUtf8);
            }
            for (var p = 0; p < constants.Length; p++)
            {
                _batch[_fileColumns + p].SetValue(row, constants[p]);
            }
            return _batch.Commit(records.LineNumber);
        }

        private bool TrySetFields(int row)
        {
            var available = Math.Min(_fileColumns, _reader.FieldCount);
            for (var i = 0; i < available; i++)
            {
                var column = _batch[i];
                if (_reader.IsEmpty(i))
                {
                    column.SetNull(row);
                }
                else if (!column.TrySet(_reader, i, row))
                {
                    return false;
                }
            }
            for (var i = available; i < _fileColumns; i++)
            {
                _batch[i].SetNull(row);
            }
            return true;
        }

        /// <summary>Converts a row's text fields to the column types and adds it, or dead-letters it naming the column.
        /// True when the batch is full.</summary>
        public bool AddFields(string?[] fields, long line, int notUtf8)
        {
            if (notUtf8 >= 0)
            {
                var name = _names[notUtf8];
                output.RejectValue($"{file}:{line}", name, fields[notUtf8], $"column '{name}': bytes that are not UTF-8; set the source's \"encoding\" (latin1, windows-1252, utf-16)", source.Raw(fields, _fileColumns));
                return false;
            }
            var row = _batch.Row;
            for (var i = 0; i < _names.Length; i++)
            {
                var type = _types[i];
                if (type is null || type.Kind == ColumnKind.String || fields[i] is null)
                {
                    _batch[i].SetValue(row, fields[i]);
                    continue;
                }
                if (!ValueConverter.TryConvert(fields[i], type with { Nullable = true }, out var converted, out var error))
                {
                    var note = declared is not null ? ""
                        : " (type inferred from the first rows; declare the column in \"schema\" to change it)";
                    output.RejectValue($"{file}:{line}", _names[i], fields[i], $"column '{_names[i]}': {error}{note}", source.Raw(fields, _fileColumns));
                    return false;
                }
                _batch[i].SetValue(row, converted);
            }
            return _batch.Commit(line);
        }

        /// <summary>Sends the rows added so far as one column batch (nothing when there are none, unless
        /// <paramref name="columnsIfNone"/> and no batch was sent yet: then a batch of the columns with no row).</summary>
        public async ValueTask SendAsync(bool last, bool columnsIfNone = false)
        {
            if (_batch.RowCount > 0 || last)
            {
                _sentRows += _batch.RowCount;
                var batch = _batch.Take(last, last ? null : RowsLeft());
                if (batch.RowCount > 0 || (columnsIfNone && !_sent && _names.Length > 0))
                {
                    _sent = true;
                    await output.SendBatchAsync(batch, ct);
                }
            }
        }

        /// <summary>About how many rows the rest of a chunk holds, at the average length of the rows so far; null for a
        /// whole file.</summary>
        private int? RowsLeft()
        {
            var read = _reader.ByteOffset;
            if (_chunkEnd is not { } end || read <= 0)
            {
                return null;
            }
            return (int)Math.Min(int.MaxValue, Math.Max(0, end - read) * _sentRows / read);
        }

        /// <summary>The current row's fields as text (null for empty), with the partition values after the file's own;
        /// <paramref name="notUtf8"/> is the first field whose bytes are not UTF-8 (decoded as U+FFFD), else -1.</summary>
        private string?[] Fields(out int notUtf8)
        {
            var fields = new string?[_names.Length];
            var available = Math.Min(_fileColumns, _reader.FieldCount);
            notUtf8 = -1;
            for (var i = 0; i < available; i++)
            {
                fields[i] = _reader.IsEmpty(i) ? null : _reader.GetString(i);
                // A U+FFFD in the text is either a replaced byte or the character itself (EF BF BD): the bytes tell.
                if (notUtf8 < 0 && _utf8 && fields[i] is { } text && text.Contains(Replacement, StringComparison.Ordinal)
                    && !System.Text.Unicode.Utf8.IsValid(_reader.GetSpan(i)))
                {
                    notUtf8 = i;
                }
            }
            for (var p = 0; p < partitions.Length; p++)
            {
                fields[_fileColumns + p] = partitions[p].Value;
            }
            return fields;
        }
    }

    // The record as CSV again (quoted where needed), so the dead letter's raw text can be pasted back into the file.
    internal string Raw(string?[] fields, int fileColumns)
    {
        var (delimiter, quote) = (spec.Delimiter[0], spec.Quote[0]);
        return string.Join(delimiter, fields.Take(fileColumns).Select(f => f is null ? ""
            : f.AsSpan().IndexOfAny([delimiter, quote, '\r', '\n']) < 0 ? f
            : quote + f.Replace(quote.ToString(), new string(quote, 2), StringComparison.Ordinal) + quote));
    }

    /// <summary>The header's names made unique, no column dropped: a name keeps its text at its first place; a repeat
    /// becomes <c>name_2</c>, <c>name_3</c>… and an empty name <c>column{position}</c>, skipping any name the header
    /// already has (so an <c>a_2</c> of the file keeps its name).</summary>
    internal static string[] Unique(IReadOnlyList<string> headers)
    {
        var taken = new HashSet<string>(headers.Where(h => !string.IsNullOrWhiteSpace(h)), StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        var names = new string[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(headers[i]) && kept.Add(headers[i]))
            {
                names[i] = headers[i];
            }
        }
        for (var i = 0; i < headers.Count; i++)
        {
            if (names[i] is not null)
            {
                continue;
            }
            var blank = string.IsNullOrWhiteSpace(headers[i]);
            var candidate = blank ? $"column{i + 1}" : $"{headers[i]}_2";
            for (var k = blank ? 2 : 3; !taken.Add(candidate); k++)
            {
                candidate = blank ? $"column{i + 1}_{k}" : $"{headers[i]}_{k}";
            }
            names[i] = candidate;
        }
        return names;
    }
}
