// Reads CSV files (a file or glob): RFC 4180 quoting, header, delimiter, encoding; empty fields read as null.
using System.ComponentModel;
using System.Text;
using CsvHelper;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Sources;

public sealed record CsvSourceSpec : SourceSpec, IValidatableSpec, IDescribedSource
{
    public string Describe(LoadedSpec loaded) => FileGlob.Describe(Path, ".csv", ".tsv", ".txt", ".csv.gz");

    public const int DefaultSampleRows = 1000;

    [Description("A CSV file, a folder, or a glob such as data/in/orders*.csv.")]
    public required string Path { get; init; }

    [Description("Field separator, one character. Default \",\".")]
    public string Delimiter { get; init; } = ",";

    [Description("Whether the first line names the columns. Default true.")]
    public bool Header { get; init; } = true;

    [Description("Quote character, one character. Default '\"'.")]
    public string Quote { get; init; } = "\"";

    [Description("Text encoding (utf-8, latin1, utf-16...). Default utf-8.")]
    public string Encoding { get; init; } = "utf-8";

    [Description("Column names when the file has no header (default column1, column2, ...).")]
    public IReadOnlyList<string>? Columns { get; init; }

    [Description("Infer column types (int64, double, bool, date, timestamp) from the first rows, as DuckDB does; false reads every column as text. Columns named in the spec's schema always take that type. Default true.")]
    public bool InferTypes { get; init; } = true;

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
    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<CsvSourceSpec>(
        "csv", "Reads CSV files (file, folder or glob).", (s, r) => new CsvSource(s, r));

    public static Encoding ResolveEncoding(string name) => name.ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => new UTF8Encoding(false),
        "latin1" or "latin-1" or "iso-8859-1" => System.Text.Encoding.Latin1,
        _ => System.Text.Encoding.GetEncoding(name),
    };

    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        var files = LakeFiles.Resolve(spec.Path, ".csv", ".tsv", ".txt", ".csv.gz");
        run.Progress.Total = files.Sum(f => new FileInfo(f).Length);
        var declared = run.Spec.Spec.Columns is { } c ? TableSchema.FromSpec(c) : null;
        long doneBefore = 0;
        foreach (var file in files)
        {
            await ReadFileAsync(file, declared, output, doneBefore, cancellationToken);
            doneBefore += new FileInfo(file).Length;
            run.Progress.SetDone(doneBefore);
        }
    }

    private async Task ReadFileAsync(string file, TableSchema? declared, ISourceOutput output, long doneBefore, CancellationToken ct)
    {
        var encoding = ResolveEncoding(spec.Encoding);
        var headerFields = 0;
        var options = new CsvReaderOptions
        {
            Separator = spec.Delimiter[0],
            Quote = spec.Quote[0],
            HasHeader = spec.Header,
            Encoding = encoding is UTF8Encoding ? null : encoding,
            TrackLineNumbers = true,
            PoolStrings = true,
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = bad => output.Reject($"{file}:{bad.LineNumber}",
                bad.Reason == CsvMalformedReason.FieldCountMismatch
                    ? $"malformed CSV record: {bad.Reason} (the header has {headerFields} fields)"
                    : $"malformed CSV record: {bad.Reason}",
                bad.RawRecord.ToString()),
        };
        Stream stream = File.OpenRead(file);
        if (file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            stream = new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress);
        }
        using var reader = CsvReader.Create(stream, options, leaveOpen: false);
        reader.ReadHeader();
        string[] names = spec.Header
            ? Unique(reader.Headers)
            : spec.Columns is { Count: > 0 } cols ? [.. cols] : [.. Enumerable.Range(1, reader.FieldCount).Select(i => $"column{i}")];
        // Hive partition folders of a lake (country=FR/…) become columns after the file's own, typed like them.
        var fileColumns = names.Length;
        headerFields = fileColumns;
        var partitions = LakeFiles.PartitionValues(spec.Path, file).Where(p => !names.Contains(p.Key, StringComparer.Ordinal)).ToArray();
        names = [.. names, .. partitions.Select(p => p.Key)];
        string?[] Read()
        {
            var fields = Fields(reader, names.Length, fileColumns);
            for (var p = 0; p < partitions.Length; p++)
            {
                fields[fileColumns + p] = partitions[p].Value;
            }
            return fields;
        }

        // Column types: declared ones from the schema, the rest inferred from a sample of rows.
        var types = new ColumnType?[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            var at = declared?.IndexOf(names[i]) ?? -1;
            types[i] = at >= 0 ? declared!.Columns[at].Type : null;
        }
        var sample = new List<(string?[] Fields, long Line)>();
        if (spec.InferTypes && types.Any(t => t is null))
        {
            while (sample.Count < spec.SampleRows && reader.Read())
            {
                sample.Add((Read(), reader.LineNumber));
            }
            for (var i = 0; i < names.Length; i++)
            {
                types[i] ??= TypeInference.Infer(sample.Select(s => (object?)s.Fields[i]));
            }
        }
        var inferredNote = declared is null ? " (type inferred from the first rows; declare the column in \"schema\" to change it)" : "";

        async ValueTask Emit(string?[] fields, long line)
        {
            var values = new object?[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                var type = types[i];
                if (type is null || type.Kind == ColumnKind.String || fields[i] is null)
                {
                    values[i] = fields[i];
                    continue;
                }
                if (!ValueConverter.TryConvert(fields[i], type with { Nullable = true }, out var converted, out var error))
                {
                    var noteFor = declared?.IndexOf(names[i]) >= 0 ? "" : inferredNote;
                    output.RejectValue($"{file}:{line}", names[i], fields[i], $"column '{names[i]}': {error}{noteFor}", Raw(fields, fileColumns));
                    return;
                }
                values[i] = converted;
            }
            var record = new Record(names, values);
            record.SetOrigin(file, line);
            await output.SendAsync(record, ct);
        }

        foreach (var (fields, line) in sample)
        {
            await Emit(fields, line);
        }
        var kinds = types.Select(t => t?.Kind ?? ColumnKind.String).ToArray();
        var n = 0;
        while (reader.Read())
        {
            if ((++n & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                run.Progress.SetDone(doneBefore + reader.ByteOffset);
            }
            // Numbers and booleans parse straight from the UTF-8 field; anything unusual takes the text path,
            // which also words the error.
            if (partitions.Length > 0)
            {
                await Emit(Read(), reader.LineNumber);
                continue;
            }
            var values = new object?[names.Length];
            var available = Math.Min(names.Length, reader.FieldCount);
            var ok = true;
            for (var i = 0; i < available && ok; i++)
            {
                if (reader.IsEmpty(i))
                {
                    continue;
                }
                switch (kinds[i])
                {
                    case ColumnKind.Int64 when reader.TryParse<long>(i, out var l): values[i] = l; break;
                    case ColumnKind.Double when reader.TryParse<double>(i, out var d): values[i] = d; break;
                    case ColumnKind.Int32 when reader.TryParse<int>(i, out var n32): values[i] = n32; break;
                    case ColumnKind.Decimal when reader.TryParse<decimal>(i, out var m): values[i] = m; break;
                    case ColumnKind.Timestamp when ValueConverter.TryParseTimestamp(reader.GetString(i), out var ts): values[i] = ts; break;
                    case ColumnKind.String: values[i] = reader.GetString(i); break;
                    default: ok = false; break;
                }
            }
            if (ok)
            {
                var record = new Record(names, values);
                record.SetOrigin(file, reader.LineNumber);
                await output.SendAsync(record, ct);
            }
            else
            {
                await Emit(Read(), reader.LineNumber);
            }
        }
    }

    // The record as CSV again (quoted where needed), so the dead letter's raw text can be pasted back into the file.
    private string Raw(string?[] fields, int fileColumns)
    {
        var (delimiter, quote) = (spec.Delimiter[0], spec.Quote[0]);
        return string.Join(delimiter, fields.Take(fileColumns).Select(f => f is null ? ""
            : f.AsSpan().IndexOfAny([delimiter, quote, '\r', '\n']) < 0 ? f
            : quote + f.Replace(quote.ToString(), new string(quote, 2), StringComparison.Ordinal) + quote));
    }

    private static string?[] Fields(CsvReader reader, int count, int fileColumns)
    {
        var fields = new string?[count];
        var available = Math.Min(fileColumns, reader.FieldCount);
        for (var i = 0; i < available; i++)
        {
            fields[i] = reader.IsEmpty(i) ? null : reader.GetString(i);
        }
        return fields;
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
