// Writes batches as RFC 4180 CSV part files (optionally gzip), with ISO dates and invariant numbers.
using System.ComponentModel;
using System.Globalization;
using System.IO.Compression;
using CsvHelper;
using Etl.Columns;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Sinks;

public enum CsvCompression { None, Gzip }

public sealed record CsvSinkSpec : SinkSpec, IValidatableSpec
{
    [Description("none (default) or gzip.")]
    public CsvCompression Compression { get; init; } = CsvCompression.None;

    [Description("Field separator, one character. Default \",\".")]
    public string Delimiter { get; init; } = ",";

    [Description("Whether each file starts with a header line. Default true.")]
    public bool Header { get; init; } = true;

    public IEnumerable<(string Path, string Message)> Validate(string path)
    {
        if (Delimiter.Length != 1 || Delimiter[0] > 127 || Delimiter[0] is '"' or '\r' or '\n')
        {
            yield return ($"{path}.delimiter", $"expected one ASCII character other than a quote or line break; got \"{Delimiter}\"");
        }
    }
}

public sealed class CsvSink(CsvSinkSpec spec, RunContext run) : FileSink(spec, run)
{
    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Sink<CsvSinkSpec>(
        "csv", "Writes RFC 4180 CSV files into a lake folder.", (s, r) => new CsvSink(s, r));

    protected override string Extension => spec.Compression == CsvCompression.Gzip ? ".csv.gz" : ".csv";

    protected override async Task<IPartWriter> CreateWriterAsync(string path, TableSchema schema, CancellationToken cancellationToken)
    {
        var file = await Storage.CreateUnflushedAsync(path, cancellationToken);
        Stream stream = spec.Compression == CsvCompression.Gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        var writer = CsvWriter.Create(stream, new CsvWriterOptions { Separator = spec.Delimiter[0], Injection = CsvInjection.None }, leaveOpen: true);
        if (spec.Header)
        {
            writer.WriteHeader([.. schema.Columns.Select(c => c.Name)]);
        }
        return new CsvPartWriter(file, stream, writer, schema);
    }

    protected override async Task<long> CountRowsAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = await Storage.OpenReadAsync(path, cancellationToken);
        var stream = spec.Compression == CsvCompression.Gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = CsvReader.Create(stream, new CsvReaderOptions { Separator = spec.Delimiter[0], HasHeader = spec.Header, SkipEmptyLines = false, MalformedData = CsvMalformedDataHandling.Throw }, leaveOpen: false);
        long rows = 0;
        while (reader.Read())
        {
            rows++;
        }
        return rows;
    }

    public static string? Format(object? value, ColumnType type) => value switch
    {
        null => null,
        decimal m => m.ToString("F" + type.Scale, CultureInfo.InvariantCulture),
        _ => ValueConverter.ToText(value),
    };

    private sealed class CsvPartWriter(Stream file, Stream stream, CsvWriter writer, TableSchema schema) : IPartWriter
    {
        private readonly CsvField[] _fields = new CsvField[schema.Count];
        private bool _closed;

        public async Task WriteAsync(RowGroup rows, CancellationToken cancellationToken)
        {
            foreach (var part in rows.Parts)
            {
                for (var c = 0; c < _fields.Length; c++)
                {
                    _fields[c] = CsvField.For(part.Batch.Columns[c], schema.Columns[c].Type);
                }
                for (var r = part.Start; r < part.Start + part.Count; r++)
                {
                    foreach (var field in _fields)
                    {
                        field.Write(writer, r);
                    }
                    await writer.EndRecordAsync(cancellationToken);
                }
            }
        }

        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            await writer.DisposeAsync();
            await stream.DisposeAsync();
            if (!ReferenceEquals(stream, file))
            {
                await file.DisposeAsync();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_closed)
            {
                _closed = true;
                await file.DisposeAsync();
            }
        }
    }
}
