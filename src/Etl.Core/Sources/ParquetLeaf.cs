// One leaf column of a nested Parquet field, read whole for a row group: its definition and repetition levels and its
// values (as the record model holds them), walked entry by entry as the field is assembled.
using Parquet;
using Parquet.Data;
using Parquet.File.Values.Primitives;
using Parquet.Schema;

namespace Etl.Sources;

internal sealed class ParquetLeaf
{
    private readonly int[]? _definitions;
    private readonly int[]? _repetitions;
    private readonly object?[] _values;
    private readonly int _defined;
    private readonly int _entries;
    private int _entry;
    private int _value;

    private ParquetLeaf(int[]? definitions, int[]? repetitions, object?[] values, int defined, int entries) =>
        (_definitions, _repetitions, _values, _defined, _entries) = (definitions, repetitions, values, defined, entries);

    public static async Task<ParquetLeaf> ReadAsync(ParquetRowGroupReader group, DataField field, ParquetRawTypes rawTypes, CancellationToken ct)
    {
        using var raw = await group.ReadRawColumnDataBaseAsync(field, ct);
        var definitions = field.MaxDefinitionLevel > 0 ? raw.DefinitionLevels.ToArray() : null;
        var repetitions = field.MaxRepetitionLevel > 0 ? raw.RepetitionLevels.ToArray() : null;
        var defined = definitions?.Count(d => d == field.MaxDefinitionLevel);
        var values = rawTypes.KindOf(field) is { } kind ? RawValues(raw, kind, defined) : Values(raw, field, defined);
        return new ParquetLeaf(definitions, repetitions, values, field.MaxDefinitionLevel, definitions?.Length ?? values.Length);
    }

    /// <summary>The definition level of the next entry (0 past the end).</summary>
    public int PeekDefinition() => _entry < _entries ? _definitions?[_entry] ?? _defined : 0;

    /// <summary>The repetition level of the next entry; -1 past the end, so no level continues.</summary>
    public int PeekRepetition() => _entry < _entries ? _repetitions?[_entry] ?? 0 : -1;

    /// <summary>The next entry's value: null unless it is defined down to the leaf; a <see cref="ParquetBadValue"/> when
    /// the stored value does not convert.</summary>
    public object? Next()
    {
        if (_entry >= _entries)
        {
            throw new InvalidDataException("a nested Parquet column has fewer entries than its row group needs");
        }
        var defined = (_definitions?[_entry] ?? _defined) == _defined;
        _entry++;
        return defined ? _values[_value++] : null;
    }

    /// <summary>The leaf's non-null values, in order, as the record model holds them.</summary>
    private static object?[] Values(RawColumnData raw, DataField field, int? count)
    {
        if (field is TimeDataField time)
        {
            return field.ClrType == typeof(int)
                ? Dense<int>(raw, count, v => ParquetValues.TimeOfDay(v, time.Precision))
                : Dense<long>(raw, count, v => ParquetValues.TimeOfDay(v, time.Precision));
        }
        var t = field.ClrType;
        return t == typeof(bool) ? Dense<bool>(raw, count, v => v)
            : t == typeof(sbyte) ? Dense<sbyte>(raw, count, v => (long)v)
            : t == typeof(byte) ? Dense<byte>(raw, count, v => (long)v)
            : t == typeof(short) ? Dense<short>(raw, count, v => (long)v)
            : t == typeof(ushort) ? Dense<ushort>(raw, count, v => (long)v)
            : t == typeof(int) ? Dense<int>(raw, count, v => (long)v)
            : t == typeof(uint) ? Dense<uint>(raw, count, v => (long)v)
            : t == typeof(long) ? Dense<long>(raw, count, v => v)
            : t == typeof(ulong) ? Dense<ulong>(raw, count, v => (decimal)v)
            : t == typeof(float) ? Dense<float>(raw, count, v => (double)v)
            : t == typeof(double) ? Dense<double>(raw, count, v => v)
            : t == typeof(decimal) ? Dense<decimal>(raw, count, v => v)
            : t == typeof(DateTime) ? Dense<DateTime>(raw, count, v => DateTime.SpecifyKind(v, DateTimeKind.Utc))
            : t == typeof(DateOnly) ? Dense<DateOnly>(raw, count, v => v)
            : t == typeof(Guid) ? Dense<Guid>(raw, count, v => ParquetValues.Uuid(v))
            : t == typeof(Interval) ? Dense<Interval>(raw, count, v => ParquetValues.Iso8601(v))
            : t == typeof(ReadOnlyMemory<char>) ? Dense<ReadOnlyMemory<char>>(raw, count, v => v.ToString())
            : t == typeof(ReadOnlyMemory<byte>) ? Dense<ReadOnlyMemory<byte>>(raw, count, v => ParquetValues.Binary(v))
            : throw new NotSupportedException($"column '{field.Path}': Parquet type {t.Name} is not supported");
    }

    /// <summary>The values of a rewritten type (see <see cref="ParquetRawTypes"/>); a timestamp beyond the years 1–9999
    /// as a <see cref="ParquetBadValue"/>.</summary>
    private static object?[] RawValues(RawColumnData raw, ParquetRawKind kind, int? count) => kind switch
    {
        ParquetRawKind.Float16 => Dense<ReadOnlyMemory<byte>>(raw, count, v => ParquetRawTypes.Float16(v)),
        ParquetRawKind.Int96 => Dense<ReadOnlyMemory<byte>>(raw, count, v => Timestamp(v, kind)),
        ParquetRawKind.Date => Dense<int>(raw, count, v => ParquetRawTypes.TryDate(v, out var date) ? date : ParquetRawTypes.DateOutOfRange(v)),
        _ => Dense<long>(raw, count, v => Timestamp(v, kind)),
    };

    private static object Timestamp<T>(T raw, ParquetRawKind kind) =>
        ParquetRawTypes.TryTimestamp(ParquetRawTypes.Ticks(raw, kind), out var value) ? value : ParquetRawTypes.OutOfRange(raw, kind);

    private static object?[] Dense<T>(RawColumnData raw, int? count, Func<T, object?> convert)
        where T : struct
    {
        var values = ((RawColumnData<T>)raw).Values;
        var result = new object?[count ?? values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = convert(values[i]);
        }
        return result;
    }
}
