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
    public static readonly IReadOnlyList<string> Extensions = [".csv", ".tsv", ".txt", ".csv.gz"];

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

    private async Task ReadFileAsync(LakeFile file, TableSchema? declared, ISourceOutput output, long doneBefore, CancellationToken ct)
    {
        var headerFields = 0;
        _rejectedLine = -1;
        Stream stream = await StorageRegistry.For(file.Path).OpenReadAsync(file.Path, ct);
        if (file.Path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        }
        using var reader = CsvReader.Create(stream, ReaderOptions(file.Path, output, () => headerFields), leaveOpen: false);
        reader.ReadHeader();
        // Without a header or names, the first row says how many columns there are; it is still read as a row.
        _pendingFirstRow = !spec.Header && spec.Columns is not { Count: > 0 } && ReadAccepted(reader);
        string[] names = spec.Header
            ? Unique(reader.Headers)
            : spec.Columns is { Count: > 0 } cols ? [.. cols] : [.. Enumerable.Range(1, reader.FieldCount).Select(i => $"column{i}")];
        headerFields = names.Length;
        // Hive partition folders of a lake (country=FR/…) become columns after the file's own, typed like them.
        var partitions = file.Partitions.Where(p => !names.Contains(p.Key, StringComparer.Ordinal)).ToArray();
        var rows = new CsvRows(this, reader, file.Path, names, partitions, declared, output, ct);
        var sample = rows.SampleAndInferTypes();
        foreach (var (fields, line) in sample)
        {
            await rows.EmitAsync(fields, line);
        }
        var n = 0;
        while (ReadAccepted(reader))
        {
            if ((++n & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                run.Progress.SetDone(doneBefore + reader.ByteOffset);
            }
            await rows.EmitCurrentAsync();
        }
    }

    private CsvReaderOptions ReaderOptions(string file, ISourceOutput output, Func<int> headerFields)
    {
        var encoding = ResolveEncoding(spec.Encoding);
        return new CsvReaderOptions
        {
            Separator = spec.Delimiter[0],
            Quote = spec.Quote[0],
            HasHeader = spec.Header,
            Encoding = encoding is UTF8Encoding ? null : encoding,
            TrackLineNumbers = true,
            PoolStrings = true,
            AllowLineBreaksInQuotes = true,
            // Recover reads stray quotes literally and reports them unskipped; only an unclosed quote is refused then.
            MalformedData = spec.Strict ? CsvMalformedDataHandling.Skip : CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = bad =>
            {
                // One dead letter a record: an unclosed quote is also reported as a field count mismatch.
                // By line, not record number: records skipped under strict do not advance the number, so the next bad
                // record would share it and go unreported.
                if ((!bad.Skipped && bad.Reason != CsvMalformedReason.UnterminatedQuote) || bad.LineNumber == _rejectedLine)
                {
                    return;
                }
                _rejectedLine = bad.LineNumber;
                // Recovering, an unclosed quote still reaches the reader as a record: it is dropped when read.
                _rejectCurrent = !bad.Skipped;
                output.Reject($"{file}:{bad.LineNumber}",
                    bad.Reason == CsvMalformedReason.FieldCountMismatch
                        ? $"malformed CSV record: {bad.Reason} (the header has {headerFields()} fields)"
                        : $"malformed CSV record: {bad.Reason}",
                    bad.RawRecord.ToString());
            },
        };
    }

    private bool _pendingFirstRow;
    private bool _rejectCurrent;
    private long _rejectedLine = -1;

    /// <summary>Reads the next record that was not refused while recovering.</summary>
    private bool ReadAccepted(CsvReader reader)
    {
        if (_pendingFirstRow)
        {
            _pendingFirstRow = false;
            return true;
        }
        while (reader.Read())
        {
            if (!_rejectCurrent)
            {
                return true;
            }
            _rejectCurrent = false;
        }
        return false;
    }

    /// <summary>The rows of one file: column types (declared or inferred from a sample), and each row typed and sent.</summary>
    private sealed class CsvRows(CsvSource source, CsvReader reader, string file, string[] fileNames, KeyValuePair<string, string?>[] partitions,
        TableSchema? declared, ISourceOutput output, CancellationToken ct)
    {
        private readonly int _fileColumns = fileNames.Length;
        private readonly bool _utf8 = source.IsUtf8;
        private readonly string[] _names = [.. fileNames, .. partitions.Select(p => p.Key)];
        private ColumnType?[] _types = [];
        private ColumnKind[] _kinds = [];

        /// <summary>Reads up to sampleRows rows to infer the types of undeclared columns; returns them to be sent first.</summary>
        public List<(string?[] Fields, long Line)> SampleAndInferTypes()
        {
            _types = new ColumnType?[_names.Length];
            for (var i = 0; i < _names.Length; i++)
            {
                var at = declared?.IndexOf(_names[i]) ?? -1;
                _types[i] = at >= 0 ? declared!.Columns[at].Type : null;
            }
            var sample = new List<(string?[] Fields, long Line)>();
            if (source.Spec.InferTypes && _types.Any(t => t is null))
            {
                while (sample.Count < source.Spec.SampleRows && source.ReadAccepted(reader))
                {
                    sample.Add((Fields(), reader.LineNumber));
                }
                for (var i = 0; i < _names.Length; i++)
                {
                    _types[i] ??= TypeInference.Infer(sample.Select(s => (object?)s.Fields[i]));
                }
            }
            _kinds = [.. _types.Select(t => t?.Kind ?? ColumnKind.String)];
            return sample;
        }

        /// <summary>The current row: numbers and booleans parse straight from the UTF-8 field; anything unusual takes
        /// the text path, which also words the error.</summary>
        public ValueTask EmitCurrentAsync()
        {
            if (partitions.Length > 0)
            {
                return EmitAsync(Fields(), reader.LineNumber);
            }
            var values = new object?[_names.Length];
            var available = Math.Min(_names.Length, reader.FieldCount);
            for (var i = 0; i < available; i++)
            {
                if (!reader.IsEmpty(i) && !TryParse(i, out values[i]))
                {
                    return EmitAsync(Fields(), reader.LineNumber);
                }
            }
            var record = new Record(_names, values);
            record.SetOrigin(file, reader.LineNumber);
            return output.SendAsync(record, ct);
        }

        private bool TryParse(int i, out object? value)
        {
            switch (_kinds[i])
            {
                case ColumnKind.Int64 when reader.TryParse<long>(i, out var l): value = l; return true;
                case ColumnKind.Double when reader.TryParse<double>(i, out var d): value = d; return true;
                case ColumnKind.Int32 when reader.TryParse<int>(i, out var n32): value = n32; return true;
                case ColumnKind.Decimal when reader.TryParse<decimal>(i, out var m): value = m; return true;
                case ColumnKind.Timestamp when _types[i]!.Format is null && ValueConverter.TryParseTimestamp(reader.GetString(i), out var ts): value = ts; return true;
                case ColumnKind.String:
                    var text = reader.GetString(i);
                    value = text;
                    // Invalid bytes take the text path, which dead-letters the row.
                    return !_utf8 || !text.Contains(Replacement, StringComparison.Ordinal);
                default: value = null; return false;
            }
        }

        /// <summary>Converts a row's text fields to the column types and sends it, or dead-letters it naming the column.</summary>
        public async ValueTask EmitAsync(string?[] fields, long line)
        {
            if (_utf8 && Array.FindIndex(fields, f => f is not null && f.Contains(Replacement, StringComparison.Ordinal)) is var bad and >= 0)
            {
                output.RejectValue($"{file}:{line}", _names[bad], fields[bad], $"column '{_names[bad]}': bytes that are not UTF-8; set the source's \"encoding\" (latin1, windows-1252, utf-16)", source.Raw(fields, _fileColumns));
                return;
            }
            var values = new object?[_names.Length];
            for (var i = 0; i < _names.Length; i++)
            {
                var type = _types[i];
                if (type is null || type.Kind == ColumnKind.String || fields[i] is null)
                {
                    values[i] = fields[i];
                    continue;
                }
                if (!ValueConverter.TryConvert(fields[i], type with { Nullable = true }, out var converted, out var error))
                {
                    var note = declared is not null ? ""
                        : " (type inferred from the first rows; declare the column in \"schema\" to change it)";
                    output.RejectValue($"{file}:{line}", _names[i], fields[i], $"column '{_names[i]}': {error}{note}", source.Raw(fields, _fileColumns));
                    return;
                }
                values[i] = converted;
            }
            var record = new Record(_names, values);
            record.SetOrigin(file, line);
            await output.SendAsync(record, ct);
        }

        /// <summary>The current row's fields as text (null for empty), with the partition values after the file's own.</summary>
        private string?[] Fields()
        {
            var fields = new string?[_names.Length];
            var available = Math.Min(_fileColumns, reader.FieldCount);
            for (var i = 0; i < available; i++)
            {
                fields[i] = reader.IsEmpty(i) ? null : reader.GetString(i);
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

    private static string[] Unique(IReadOnlyList<string> headers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new string[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            var name = string.IsNullOrWhiteSpace(headers[i]) ? $"column{i + 1}" : headers[i];
            var candidate = name;
            for (var k = 2; !seen.Add(candidate); k++)
            {
                candidate = $"{name}_{k}";
            }
            names[i] = candidate;
        }
        return names;
    }
}
