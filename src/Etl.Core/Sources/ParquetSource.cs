// Reads Parquet files (a file, glob or lake folder), restoring Hive partition folders (key=value) as columns.
using System.ComponentModel;
using Etl.Columns;
using Etl.Lake;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;
using Etl.Storage;
using Parquet;
using Parquet.File.Values.Primitives;
using Parquet.Schema;

namespace Etl.Sources;

public sealed record ParquetSourceSpec : SourceSpec, IDescribedSource, IStoragePathSpec
{
    public Task<string> DescribeAsync(LoadedSpec loaded, CancellationToken cancellationToken) => FileGlob.DescribeAsync(Path, ParquetSource.Extensions, cancellationToken);

    [Description("A Parquet file, a folder (such as another pipeline's sink), or a glob.")]
    public required string Path { get; init; }

    public IEnumerable<(string JsonPath, string Location)> Locations(string path) => [($"{path}.path", Path)];
}

public sealed class ParquetSource(ParquetSourceSpec spec, RunContext run) : ISource
{
    /// <summary>The file endings read from a folder.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".parquet"];

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<ParquetSourceSpec>(
        "parquet", "Reads Parquet files, a folder or a glob; Hive partition folders become columns.", (s, r) => new ParquetSource(s, r));

    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        // In a sharded run a small file goes whole to one shard; a large one is shared out row group by row group.
        var split = run.Shard?.SplitParquetAboveBytes ?? long.MaxValue;
        var files = (await LakeFiles.ResolveAsync(spec.Path, Extensions, cancellationToken))
            .Where(f => f.Length >= split || run.OwnsFile(spec.Path, f.Path)).ToList();
        run.Progress.Total = files.Sum(f => f.Length);
        foreach (var file in files)
        {
            Func<int, bool> ownsGroup = file.Length >= split ? g => run.Owns($"{Shard.FileKey(spec.Path, file.Path)}#rowgroup={g}") : _ => true;
            await ReadFileAsync(file, ownsGroup, output, cancellationToken);
            run.Progress.Advance(file.Length);
        }
    }

    private static async Task ReadFileAsync(LakeFile lakeFile, Func<int, bool> ownsGroup, ISourceOutput output, CancellationToken ct)
    {
        var (file, partitions) = (lakeFile.Path, lakeFile.Partitions);
        await using var stream = await StorageRegistry.For(file).OpenReadAsync(file, ct);
        var (reader, rawTypes, fields) = await OpenAsync(stream, file, ct);
        await using var _ = reader;
        var names = fields.Select(f => f.Name).Concat(partitions.Select(p => p.Key).Where(k => fields.All(f => f.Name != k))).ToArray();
        long row = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            if (!ownsGroup(g))
            {
                // Row numbers stay those of the whole file, so a dead letter's file:row is the same in any shard.
                row += group.RowCount;
                continue;
            }
            var count = checked((int)group.RowCount);
            var errors = new ParquetValueErrors();
            var columns = new Column[names.Length];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = await ReadColumnAsync(file, g, group, fields[c], count, rawTypes, errors, ct);
            }
            for (var p = fields.Length; p < names.Length; p++)
            {
                var value = partitions.First(kv => kv.Key == names[p]).Value;
                columns[p] = new StringColumn(Enumerable.Repeat(value, count).ToArray(), count);
            }
            await SendRowGroupAsync(output, file, names, columns, count, row, errors, ct);
            row += count;
        }
    }

    /// <summary>Opens a file, rewriting the schema elements Parquet.Net cannot convert (see <see cref="ParquetRawTypes"/>).</summary>
    private static async Task<(ParquetReader Reader, ParquetRawTypes RawTypes, Field[] Fields)> OpenAsync(Stream stream, string file, CancellationToken ct)
    {
        ParquetReader? reader = null;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, Options, leaveStreamOpen: true, cancellationToken: ct);
            var rawTypes = ParquetRawTypes.Rewrite(reader.Metadata!);
            return (reader, rawTypes, reader.Schema.Fields.ToArray());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (reader is not null)
            {
                await reader.DisposeAsync();
            }
            throw ParquetReadError.Open(file, e);
        }
    }

    /// <summary>One top-level column of a row group; a failure names the file and the column.</summary>
    private static async Task<Column> ReadColumnAsync(string file, int g, ParquetRowGroupReader group, Field field, int count,
        ParquetRawTypes rawTypes, ParquetValueErrors errors, CancellationToken ct)
    {
        var leaves = ParquetNestedColumn.Leaves(field).ToArray();
        foreach (var leaf in leaves)
        {
            if (group.GetMetadata(leaf)?.MetaData?.TotalUncompressedSize is > ParquetReadError.MaxChunkBytes and var bytes)
            {
                throw ParquetReadError.TooLarge(file, string.Join('.', leaf.Path.ToList()), g, bytes);
            }
        }
        var current = leaves.FirstOrDefault();
        try
        {
            if (field is not DataField { IsArray: false } flat)
            {
                return await ParquetNestedColumn.ReadAsync(group, field, count, rawTypes, errors, ct);
            }
            return rawTypes.KindOf(flat) is { } kind
                ? await ParquetRawColumn.ReadAsync(group, flat, kind, count, errors, ct)
                : await ReadColumnAsync(group, flat, count, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var name = current is null || leaves.Length == 1 ? field.Name : string.Join('.', current.Path.ToList());
            throw ParquetReadError.Column(file, name, current is null ? null : group.GetMetadata(current)?.MetaData, e);
        }
    }

    private static readonly ParquetOptions Options = new() { UseDateOnlyTypeForDates = true };

    /// <summary>A row group's columns as batches of the mesh's size; origins are "file:row N" (1-based in the file). A
    /// row holding a value that does not convert is a dead letter instead.</summary>
    private static async Task SendRowGroupAsync(ISourceOutput output, string file, string[] names, Column[] columns, int count, long firstRow,
        ParquetValueErrors errors, CancellationToken ct)
    {
        if (errors.Any)
        {
            foreach (var (row, column, reason, value) in errors.Rows)
            {
                output.RejectValue($"{file}:row {firstRow + row + 1}", column, value, reason, null);
            }
        }
        var kept = errors.Any ? Enumerable.Range(0, count).Where(r => !errors.Failed(r)).ToArray() : null;
        if (kept is not null)
        {
            columns = [.. columns.Select(c => c.Gather(kept))];
        }
        var rows = kept?.Length ?? count;
        var size = Math.Max(1, output.BatchRows);
        for (var start = 0; start < rows; start += size)
        {
            var n = Math.Min(size, rows - start);
            var positions = new long[n];
            for (var i = 0; i < n; i++)
            {
                positions[i] = firstRow + (kept?[start + i] ?? start + i) + 1;
            }
            var slice = n == rows ? columns : [.. columns.Select(c => c.Slice(start, n))];
            await output.SendBatchAsync(new ColumnBatch(names, slice, n, new BatchOrigins(file, positions, ":row ")), ct);
        }
    }

    private static async Task<Column> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
    {
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await group.ReadAsync(field, strings.AsMemory(), null, ct);
            return new StringColumn(strings, count);
        }
        if (field is TimeDataField time)
        {
            return t == typeof(int)
                ? await ReadTextAsync<int>(group, field, count, v => ParquetValues.TimeOfDay(v, time.Precision), ct)
                : await ReadTextAsync<long>(group, field, count, v => ParquetValues.TimeOfDay(v, time.Precision), ct);
        }
        if (t == typeof(ReadOnlyMemory<byte>)) { return await ReadTextAsync<ReadOnlyMemory<byte>>(group, field, count, ParquetValues.Binary, ct); }
        if (t == typeof(Guid)) { return await ReadTextAsync<Guid>(group, field, count, ParquetValues.Uuid, ct); }
        if (t == typeof(Interval)) { return await ReadTextAsync<Interval>(group, field, count, ParquetValues.Iso8601, ct); }
        // Integers keep their width where int32 holds them (INT32 stays INT32 in a Parquet sink); wider ones become int64.
        if (t == typeof(bool)) { return await Read<bool, bool>(group, field, count, ColumnKind.Bool, v => v, ct); }
        if (t == typeof(int)) { return await Read<int, int>(group, field, count, ColumnKind.Int32, v => v, ct); }
        if (t == typeof(long)) { return await Read<long, long>(group, field, count, ColumnKind.Int64, v => v, ct); }
        if (t == typeof(short)) { return await Read<short, int>(group, field, count, ColumnKind.Int32, v => v, ct); }
        if (t == typeof(byte)) { return await Read<byte, int>(group, field, count, ColumnKind.Int32, v => v, ct); }
        if (t == typeof(sbyte)) { return await Read<sbyte, int>(group, field, count, ColumnKind.Int32, v => v, ct); }
        if (t == typeof(ushort)) { return await Read<ushort, int>(group, field, count, ColumnKind.Int32, v => v, ct); }
        if (t == typeof(uint)) { return await Read<uint, long>(group, field, count, ColumnKind.Int64, v => v, ct); }
        // UBIGINT can exceed int64: kept exact as a decimal.
        if (t == typeof(ulong)) { return await Read<ulong, decimal>(group, field, count, ColumnKind.Decimal, v => v, ct); }
        if (t == typeof(float)) { return await Read<float, double>(group, field, count, ColumnKind.Double, v => v, ct); }
        if (t == typeof(double)) { return await Read<double, double>(group, field, count, ColumnKind.Double, v => v, ct); }
        if (t == typeof(decimal)) { return await Read<decimal, decimal>(group, field, count, ColumnKind.Decimal, v => v, ct); }
        if (t == typeof(DateTime)) { return await Read<DateTime, DateTime>(group, field, count, ColumnKind.Timestamp, v => DateTime.SpecifyKind(v, DateTimeKind.Utc), ct); }
        if (t == typeof(DateOnly)) { return await Read<DateOnly, DateOnly>(group, field, count, ColumnKind.Date, v => v, ct); }
        throw new NotSupportedException($"column '{field.Name}': Parquet type {t.Name} is not supported");
    }

    /// <summary>A column of values the engine keeps as text (binary, time of day, UUID, interval).</summary>
    private static async Task<Column> ReadTextAsync<T>(ParquetRowGroupReader group, DataField field, int count, Func<T, string> text, CancellationToken ct)
        where T : struct
    {
        var result = new string?[count];
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            for (var i = 0; i < count; i++)
            {
                result[i] = values[i] is { } v ? text(v) : null;
            }
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            for (var i = 0; i < count; i++)
            {
                result[i] = text(values[i]);
            }
        }
        return new StringColumn(result, count);
    }

    private static async Task<Column> Read<T, TColumn>(ParquetRowGroupReader group, DataField field, int count, ColumnKind kind, Func<T, TColumn> convert, CancellationToken ct)
        where T : struct
        where TColumn : struct
    {
        var result = new TColumn[count];
        bool[]? nulls = null;
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            for (var i = 0; i < count; i++)
            {
                if (values[i] is { } v)
                {
                    result[i] = convert(v);
                }
                else
                {
                    (nulls ??= new bool[count])[i] = true;
                }
            }
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            for (var i = 0; i < count; i++)
            {
                result[i] = convert(values[i]);
            }
        }
        // The file's own type travels with the column, so a copy keeps DECIMAL(10,3) (not the decimal(38,3) its values
        // would suggest) and a column of nulls keeps its type.
        var type = field is DecimalDataField d ? new ColumnType(ColumnKind.Decimal, true, d.Precision, d.Scale)
            : field.ClrType == typeof(ulong) ? new ColumnType(ColumnKind.Decimal, true, 20, 0)
            : new ColumnType(kind);
        return new TypedColumn<TColumn>(kind, result, nulls, count) { SourceType = type };
    }
}
