// Reads Parquet files (a file, glob or lake folder), restoring Hive partition folders (key=value) as columns.
using System.ComponentModel;
using Etl.Lake;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;
using Etl.Storage;
using Parquet;
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
        await using var reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, cancellationToken: ct);
        var fields = reader.Schema.Fields.OfType<DataField>().Where(f => !f.IsArray).ToArray();
        var names = fields.Select(f => f.Name).Concat(partitions.Select(p => p.Key).Where(k => fields.All(f => f.Name != k))).ToArray();
        long row = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            if (!ownsGroup(g))
            {
                // Row numbers stay those of the whole file, so a dead letter's file:row is the same in any shard.
                using var skipped = reader.OpenRowGroupReader(g);
                row += skipped.RowCount;
                continue;
            }
            using var group = reader.OpenRowGroupReader(g);
            var count = checked((int)group.RowCount);
            var columns = new object?[fields.Length][];
            for (var c = 0; c < fields.Length; c++)
            {
                columns[c] = await ReadColumnAsync(group, fields[c], count, ct);
            }
            for (var r = 0; r < count; r++)
            {
                var values = new object?[names.Length];
                for (var c = 0; c < fields.Length; c++)
                {
                    values[c] = columns[c][r];
                }
                for (var p = fields.Length; p < names.Length; p++)
                {
                    values[p] = partitions.First(kv => kv.Key == names[p]).Value;
                }
                row++;
                var record = new Record(names, values);
                record.SetOrigin(file, row, ":row ");
                await output.SendAsync(record, ct);
            }
        }
    }

    private static async Task<object?[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count, CancellationToken ct)
    {
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[count];
            await group.ReadAsync(field, strings.AsMemory(), null, ct);
            return [.. strings];
        }
        if (t == typeof(bool)) { return await Read<bool>(group, field, count, v => v, ct); }
        if (t == typeof(int)) { return await Read<int>(group, field, count, v => (long)v, ct); }
        if (t == typeof(long)) { return await Read<long>(group, field, count, v => v, ct); }
        if (t == typeof(short)) { return await Read<short>(group, field, count, v => (long)v, ct); }
        if (t == typeof(byte)) { return await Read<byte>(group, field, count, v => (long)v, ct); }
        if (t == typeof(sbyte)) { return await Read<sbyte>(group, field, count, v => (long)v, ct); }
        if (t == typeof(ushort)) { return await Read<ushort>(group, field, count, v => (long)v, ct); }
        if (t == typeof(uint)) { return await Read<uint>(group, field, count, v => (long)v, ct); }
        // UBIGINT can exceed int64: kept exact as a decimal.
        if (t == typeof(ulong)) { return await Read<ulong>(group, field, count, v => (decimal)v, ct); }
        if (t == typeof(float)) { return await Read<float>(group, field, count, v => (double)v, ct); }
        if (t == typeof(double)) { return await Read<double>(group, field, count, v => v, ct); }
        if (t == typeof(decimal)) { return await Read<decimal>(group, field, count, v => v, ct); }
        if (t == typeof(DateTime)) { return await Read<DateTime>(group, field, count, v => DateTime.SpecifyKind(v, DateTimeKind.Utc), ct); }
        if (t == typeof(DateOnly)) { return await Read<DateOnly>(group, field, count, v => v, ct); }
        throw new NotSupportedException($"column '{field.Name}': Parquet type {t.Name} is not supported");
    }

    private static async Task<object?[]> Read<T>(ParquetRowGroupReader group, DataField field, int count, Func<T, object> box, CancellationToken ct)
        where T : struct
    {
        var result = new object?[count];
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            for (var i = 0; i < count; i++)
            {
                result[i] = values[i] is { } v ? box(v) : null;
            }
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
            for (var i = 0; i < count; i++)
            {
                result[i] = box(values[i]);
            }
        }
        return result;
    }
}
