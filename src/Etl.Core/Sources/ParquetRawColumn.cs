// A flat Parquet column of a rewritten type (FLOAT16, INT96, TIMESTAMP, DATE; see ParquetRawTypes), converted value by
// value; a timestamp or date beyond the years 1–9999 is noted as a bad value of its row (read as null), never clamped or wrapped.
using Etl.Columns;
using Etl.Records;
using Parquet;
using Parquet.Schema;

namespace Etl.Sources;

internal static class ParquetRawColumn
{
    public static Task<Column> ReadAsync(ParquetRowGroupReader group, DataField field, ParquetRawKind kind, int count, ParquetValueErrors errors, CancellationToken ct) =>
        kind switch
        {
            ParquetRawKind.Float16 => ReadAsync<ReadOnlyMemory<byte>, double>(group, field, count, ColumnKind.Double, Float16, errors, ct),
            ParquetRawKind.Int96 => ReadAsync<ReadOnlyMemory<byte>, DateTime>(group, field, count, ColumnKind.Timestamp, Timestamp<ReadOnlyMemory<byte>>(kind), errors, ct),
            ParquetRawKind.Date => ReadAsync<int, DateOnly>(group, field, count, ColumnKind.Date, Date, errors, ct),
            _ => ReadAsync<long, DateTime>(group, field, count, ColumnKind.Timestamp, Timestamp<long>(kind), errors, ct),
        };

    /// <summary>Converts a raw value; false with the reason when it does not convert.</summary>
    private delegate bool Convert<T, TColumn>(T raw, out TColumn value, out ParquetBadValue? bad);

    private static bool Float16(ReadOnlyMemory<byte> raw, out double value, out ParquetBadValue? bad)
    {
        (value, bad) = (ParquetRawTypes.Float16(raw), null);
        return true;
    }

    private static bool Date(int raw, out DateOnly value, out ParquetBadValue? bad)
    {
        var fits = ParquetRawTypes.TryDate(raw, out value);
        bad = fits ? null : ParquetRawTypes.DateOutOfRange(raw);
        return fits;
    }

    private static Convert<T, DateTime> Timestamp<T>(ParquetRawKind kind) => (T raw, out DateTime value, out ParquetBadValue? bad) =>
    {
        var ticks = ParquetRawTypes.Ticks(raw, kind);
        var fits = ParquetRawTypes.TryTimestamp(ticks, out value);
        bad = fits ? null : ParquetRawTypes.OutOfRange(raw, kind);
        return fits;
    };

    private static async Task<Column> ReadAsync<T, TColumn>(ParquetRowGroupReader group, DataField field, int count, ColumnKind kind,
        Convert<T, TColumn> convert, ParquetValueErrors errors, CancellationToken ct)
        where T : struct
        where TColumn : struct
    {
        var values = new T?[count];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct);
        }
        else
        {
            var required = new T[count];
            await group.ReadAsync<T>(field, required.AsMemory(), null, ct);
            for (var i = 0; i < count; i++)
            {
                values[i] = required[i];
            }
        }
        var result = new TColumn[count];
        bool[]? nulls = null;
        for (var i = 0; i < count; i++)
        {
            if (values[i] is not { } v)
            {
                (nulls ??= new bool[count])[i] = true;
            }
            else if (!convert(v, out result[i], out var bad))
            {
                (nulls ??= new bool[count])[i] = true;
                errors.Add(i, field.Name, field.Name, bad!);
            }
        }
        return new TypedColumn<TColumn>(kind, result, nulls, count) { SourceType = new ColumnType(kind) };
    }
}
