// Writes batches as Parquet part files, one row group per write, with real logical types (decimal, date, timestamp UTC).
using System.ComponentModel;
using Etl.Columns;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;
using Parquet;
using Parquet.Schema;

namespace Etl.Sinks;

public enum ParquetCompression { Snappy, Gzip, Zstd, None }

public sealed record ParquetSinkSpec : SinkSpec
{
    [Description("snappy (default), gzip, zstd or none.")]
    public ParquetCompression Compression { get; init; } = ParquetCompression.Snappy;
}

public sealed class ParquetSink(ParquetSinkSpec spec, RunContext run) : FileSink(spec, run)
{
    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Sink<ParquetSinkSpec>(
        "parquet", "Writes Parquet files into a lake folder.", (s, r) => new ParquetSink(s, r));

    /// <summary>Row groups per file before the next file starts. The writer keeps every row group's metadata (with
    /// statistics) in memory until the footer is written, so one endless file would grow with the input.</summary>
    public const int MaxRowGroupsPerFile = 1_000;

    protected override int? MaxWritesPerFile => MaxRowGroupsPerFile;

    /// <summary>Text values of a row group looked at before Parquet.Net tries a dictionary for the whole column.</summary>
    public const int DictionarySampleSize = 1_000;

    protected override string Extension => spec.Compression switch
    {
        ParquetCompression.Snappy => ".snappy.parquet",
        ParquetCompression.Gzip => ".gz.parquet",
        ParquetCompression.Zstd => ".zstd.parquet",
        _ => ".parquet",
    };

    protected override async Task<IPartWriter> CreateWriterAsync(string path, TableSchema schema, CancellationToken cancellationToken)
    {
        var fields = schema.Columns.Select(ToField).ToArray();
        var options = new ParquetOptions
        {
            CompressionMethod = spec.Compression switch
            {
                ParquetCompression.Snappy => CompressionMethod.Snappy,
                ParquetCompression.Gzip => CompressionMethod.Gzip,
                ParquetCompression.Zstd => CompressionMethod.Zstd,
                _ => CompressionMethod.None,
            },
            // Parquet.Net sizes a dictionary for every value of the row group before it finds a column too unique for
            // one (a large-object allocation per column and row group): a sample of the first values rules those out first.
            DictionaryEncodingSampleSize = DictionarySampleSize,
        };
        // Text columns are mostly repetitive (countries, statuses, names): a dictionary makes them smaller and
        // faster to compress; Parquet.Net still falls back to plain pages for columns of unique values.
        foreach (var field in fields.Where(f => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)))
        {
            options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        }
        var stream = await Storage.CreateUnflushedAsync(path, cancellationToken);
        try
        {
            var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options, false, cancellationToken);
            return new ParquetPartWriter(stream, writer, fields, schema);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    protected override async Task<long> CountRowsAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await Storage.OpenReadAsync(path, cancellationToken);
        await using var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, cancellationToken: cancellationToken);
        long rows = 0;
        for (var i = 0; i < reader.RowGroupCount; i++)
        {
            using var group = reader.OpenRowGroupReader(i);
            rows += group.RowCount;
        }
        return rows;
    }

    public static DataField ToField(SchemaColumn column)
    {
        var (name, type) = (column.Name, column.Type);
        return type.Kind switch
        {
            ColumnKind.String => new DataField(name, typeof(string), type.Nullable),
            ColumnKind.Bool => new DataField(name, typeof(bool), type.Nullable),
            ColumnKind.Int32 => new DataField(name, typeof(int), type.Nullable),
            ColumnKind.Int64 => new DataField(name, typeof(long), type.Nullable),
            ColumnKind.Double => new DataField(name, typeof(double), type.Nullable),
            ColumnKind.Decimal => new DecimalDataField(name, type.Precision, type.Scale, false, type.Nullable),
            ColumnKind.Date => new DataField(name, typeof(DateOnly), type.Nullable),
            ColumnKind.Timestamp => new DateTimeDataField(name, DateTimeFormat.Timestamp, true, DateTimeTimeUnit.Micros, type.Nullable),
            _ => throw new InvalidOperationException(type.ToString()),
        };
    }

    private sealed class ParquetPartWriter(Stream stream, ParquetWriter writer, DataField[] fields, TableSchema schema) : IPartWriter
    {
        private readonly ParquetColumnWriter _columns = new();
        private bool _closed;

        public async Task WriteAsync(RowGroup rows, CancellationToken cancellationToken)
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                await _columns.WriteAsync(group, fields[c], schema.Columns[c].Type.Kind, c, rows, cancellationToken);
            }
            group.CompleteValidate();
        }

        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            _columns.Dispose();
            await writer.DisposeAsync();
            // Disposing the storage's stream makes the file complete and durable.
            await stream.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_closed)
            {
                _closed = true;
                _columns.Dispose();
                await stream.DisposeAsync();
            }
        }
    }
}
