// Writes batches as Parquet part files, one row group per batch, with real logical types (decimal, date, timestamp UTC).
using System.ComponentModel;
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
        "parquet", "Writes Parquet files into a lake folder.", (s, r) => new ParquetSink(s, r), s => WarmUpAsync(s.Compression));

    /// <summary>Row groups per file before the next file starts. The writer keeps every row group's metadata (with
    /// statistics) in memory until the footer is written, so one endless file would grow with the input.</summary>
    public const int MaxRowGroupsPerFile = 1_000;

    protected override int? MaxWritesPerFile => MaxRowGroupsPerFile;

    protected override string Extension => spec.Compression switch
    {
        ParquetCompression.Snappy => ".snappy.parquet",
        ParquetCompression.Gzip => ".gz.parquet",
        ParquetCompression.Zstd => ".zstd.parquet",
        _ => ".parquet",
    };

    protected override async Task<IPartWriter> CreateWriterAsync(string path, TableSchema schema, CancellationToken cancellationToken)
    {
        var stream = await Storage.CreateAsync(path, cancellationToken);
        try
        {
            return await OpenWriterAsync(stream, schema, spec.Compression, cancellationToken);
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    private static async Task<IPartWriter> OpenWriterAsync(Stream stream, TableSchema schema, ParquetCompression compression, CancellationToken cancellationToken)
    {
        var fields = schema.Columns.Select(ToField).ToArray();
        var options = new ParquetOptions
        {
            CompressionMethod = compression switch
            {
                ParquetCompression.Snappy => CompressionMethod.Snappy,
                ParquetCompression.Gzip => CompressionMethod.Gzip,
                ParquetCompression.Zstd => CompressionMethod.Zstd,
                _ => CompressionMethod.None,
            },
        };
        // Text columns are mostly repetitive (countries, statuses, names): a dictionary makes them smaller and
        // faster to compress; Parquet.Net still falls back to plain pages for columns of unique values.
        foreach (var field in fields.Where(f => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)))
        {
            options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        }
        var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options, false, cancellationToken);
        return new ParquetPartWriter(stream, writer, fields, schema);
    }

    /// <summary>Writes a one-row file of every column type in memory and counts its rows back, as a run writes and
    /// checks its part files: an HTTP run's records arrive a round trip after it starts, and the writer then needs
    /// no compiling. Returns the rows read back (one).</summary>
    public static async Task<long> WarmUpAsync(ParquetCompression compression)
    {
        var columns = new List<SchemaColumn>();
        var row = new List<object?>();
        foreach (var (kind, value) in WarmUpValues)
        {
            foreach (var nullable in new[] { true, false })
            {
                columns.Add(new SchemaColumn($"{kind}{columns.Count}", new ColumnType(kind, nullable, Precision: 18, Scale: 2)));
                row.Add(value);
            }
        }
        using var file = new MemoryStream();
        await using (var writer = await OpenWriterAsync(file, new TableSchema(columns), compression, CancellationToken.None))
        {
            await writer.WriteAsync([row.ToArray()], CancellationToken.None);
            await writer.CloseAsync(CancellationToken.None);
        }
        using var written = new MemoryStream(file.ToArray());
        return await CountRowsAsync(written, CancellationToken.None);
    }

    private static readonly (ColumnKind Kind, object Value)[] WarmUpValues =
    [
        (ColumnKind.String, "a"), (ColumnKind.Bool, true), (ColumnKind.Int32, 1), (ColumnKind.Int64, 1L), (ColumnKind.Double, 1.5),
        (ColumnKind.Decimal, 1.5m), (ColumnKind.Date, new DateOnly(2026, 1, 1)), (ColumnKind.Timestamp, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
    ];

    protected override async Task<long> CountRowsAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = await Storage.OpenReadAsync(path, cancellationToken);
        return await CountRowsAsync(stream, cancellationToken);
    }

    private static async Task<long> CountRowsAsync(Stream stream, CancellationToken cancellationToken)
    {
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
        private bool _closed;

        public async Task WriteAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
        {
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var type = schema.Columns[c].Type;
                var field = fields[c];
                switch (type.Kind)
                {
                    case ColumnKind.String:
                        var strings = new string[rows.Count];
                        for (var r = 0; r < rows.Count; r++)
                        {
                            strings[r] = (string)rows[r][c]!;
                        }
                        await group.WriteAsync(field, strings, null);
                        break;
                    case ColumnKind.Bool: await WriteColumn<bool>(group, field, rows, c, type.Nullable, cancellationToken); break;
                    case ColumnKind.Int32: await WriteColumn<int>(group, field, rows, c, type.Nullable, cancellationToken); break;
                    case ColumnKind.Int64: await WriteColumn<long>(group, field, rows, c, type.Nullable, cancellationToken); break;
                    case ColumnKind.Double: await WriteColumn<double>(group, field, rows, c, type.Nullable, cancellationToken); break;
                    case ColumnKind.Decimal: await WriteColumn<decimal>(group, field, rows, c, type.Nullable, cancellationToken); break;
                    case ColumnKind.Date: await WriteColumn<DateOnly>(group, field, rows, c, type.Nullable, cancellationToken); break;
                    case ColumnKind.Timestamp: await WriteColumn<DateTime>(group, field, rows, c, type.Nullable, cancellationToken); break;
                }
            }
            group.CompleteValidate();
        }

        private static async Task WriteColumn<T>(ParquetRowGroupWriter group, DataField field, IReadOnlyList<object?[]> rows, int c, bool nullable, CancellationToken ct)
            where T : struct
        {
            if (nullable)
            {
                var values = new T?[rows.Count];
                for (var r = 0; r < rows.Count; r++)
                {
                    values[r] = (T?)rows[r][c];
                }
                await group.WriteAsync<T>(field, values.AsMemory(), null, null, ct);
            }
            else
            {
                var values = new T[rows.Count];
                for (var r = 0; r < rows.Count; r++)
                {
                    values[r] = (T)rows[r][c]!;
                }
                await group.WriteAsync<T>(field, values.AsMemory(), null, null, ct);
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
            // Disposing the storage's stream makes the file complete and durable.
            await stream.DisposeAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_closed)
            {
                _closed = true;
                await stream.DisposeAsync();
            }
        }
    }
}
