// Writes one column of a row group the way Parquet.Net 6.1 takes it fastest: the typed array itself when it can, otherwise
// the non-null values gathered once into a pooled buffer, with definition levels (1 present, 0 null).
using System.Buffers;
using Etl.Columns;
using Etl.Records;
using Parquet;
using Parquet.Schema;

namespace Etl.Sinks;

internal sealed class ParquetColumnWriter : IDisposable
{
    // Definition levels of a nullable column without nulls: all 1, shared by every writer (never written to once
    // published; a longer array replaces it).
    private static int[] s_ones = [];

    // One values buffer per column kind (columns are written one after the other, so they share it) and one for the
    // definition levels: a wide schema does not hold a buffer per column.
    private readonly Array?[] _values = new Array?[Enum.GetValues<ColumnKind>().Length];
    private int[] _levels = [];

    public Task WriteAsync(ParquetRowGroupWriter group, DataField field, ColumnKind kind, int column, RowGroup rows, CancellationToken ct) => kind switch
    {
        ColumnKind.String => WriteStringsAsync(group, field, column, rows, ct),
        ColumnKind.Bool => WriteTypedAsync<bool>(group, field, kind, column, rows, ct),
        ColumnKind.Int32 => WriteTypedAsync<int>(group, field, kind, column, rows, ct),
        ColumnKind.Int64 => WriteTypedAsync<long>(group, field, kind, column, rows, ct),
        ColumnKind.Double => WriteTypedAsync<double>(group, field, kind, column, rows, ct),
        ColumnKind.Decimal => WriteTypedAsync<decimal>(group, field, kind, column, rows, ct),
        ColumnKind.Date => WriteTypedAsync<DateOnly>(group, field, kind, column, rows, ct),
        ColumnKind.Timestamp => WriteTypedAsync<DateTime>(group, field, kind, column, rows, ct),
        _ => throw new InvalidOperationException($"no Parquet column for {kind}"),
    };

    private async Task WriteTypedAsync<T>(ParquetRowGroupWriter group, DataField field, ColumnKind kind, int column, RowGroup rows, CancellationToken ct)
        where T : struct
    {
        var parts = rows.Parts;
        if (parts.Count == 1 && parts[0].Start == 0 && parts[0].Batch.Columns[column] is TypedColumn<T> { Nulls: null } whole)
        {
            // One batch from its first row and no null: its array is the column as it is.
            // (Levels must be null, not empty, for a required column: Parquet.Net counts the rows by the levels when it has any.)
            var levels = field.IsNullable ? Ones(rows.RowCount) : (ReadOnlyMemory<int>?)null;
            await group.WriteAllPartsAsync<T>(field, whole.Values.AsMemory(0, rows.RowCount), levels, null, ct);
            return;
        }
        var buffer = Buffer<T>(kind, rows.RowCount);
        var defined = field.IsNullable ? Levels(rows.RowCount) : null;
        var count = Gather(parts, column, buffer, defined);
        await group.WriteAllPartsAsync<T>(field, buffer.AsMemory(0, count), defined?.AsMemory(0, rows.RowCount), null, ct);
    }

    /// <summary>Copies the non-null values of the ranges into <paramref name="values"/> and, when given, the definition
    /// level of every row into <paramref name="levels"/>; returns the number of values.</summary>
    private static int Gather<T>(IReadOnlyList<BatchRange> parts, int column, T[] values, int[]? levels)
        where T : struct
    {
        var (count, row) = (0, 0);
        foreach (var part in parts)
        {
            var typed = (TypedColumn<T>)part.Batch.Columns[column];
            if (typed.Nulls is not { } nulls)
            {
                Array.Copy(typed.Values, part.Start, values, count, part.Count);
                levels?.AsSpan(row, part.Count).Fill(1);
                (count, row) = (count + part.Count, row + part.Count);
                continue;
            }
            for (var r = part.Start; r < part.Start + part.Count; r++, row++)
            {
                if (!nulls[r])
                {
                    values[count++] = typed.Values[r];
                }
                if (levels is not null)
                {
                    levels[row] = nulls[r] ? 0 : 1;
                }
            }
        }
        return count;
    }

    // Text goes in as UTF-16 views of the strings themselves (Parquet.Net's string overload makes the same views, plus
    // a nullable copy it then compacts again).
    private async Task WriteStringsAsync(ParquetRowGroupWriter group, DataField field, int column, RowGroup rows, CancellationToken ct)
    {
        var buffer = Buffer<ReadOnlyMemory<char>>(ColumnKind.String, rows.RowCount);
        var levels = field.IsNullable ? Levels(rows.RowCount) : null;
        var (count, row) = (0, 0);
        foreach (var part in rows.Parts)
        {
            var values = ((StringColumn)part.Batch.Columns[column]).Values;
            for (var r = part.Start; r < part.Start + part.Count; r++, row++)
            {
                if (values[r] is { } text)
                {
                    buffer[count++] = text.AsMemory();
                }
                if (levels is not null)
                {
                    levels[row] = values[r] is null ? 0 : 1;
                }
            }
        }
        await group.WriteAllPartsAsync<ReadOnlyMemory<char>>(field, buffer.AsMemory(0, count), levels?.AsMemory(0, rows.RowCount), null, ct);
    }

    private T[] Buffer<T>(ColumnKind kind, int length)
    {
        if (_values[(int)kind] is T[] buffer && buffer.Length >= length)
        {
            return buffer;
        }
        Return(kind);
        buffer = ArrayPool<T>.Shared.Rent(length);
        _values[(int)kind] = buffer;
        return buffer;
    }

    private int[] Levels(int length)
    {
        if (_levels.Length < length)
        {
            if (_levels.Length > 0)
            {
                ArrayPool<int>.Shared.Return(_levels);
            }
            _levels = ArrayPool<int>.Shared.Rent(length);
        }
        return _levels;
    }

    private static ReadOnlyMemory<int> Ones(int length)
    {
        var ones = Volatile.Read(ref s_ones);
        if (ones.Length < length)
        {
            ones = new int[Math.Max(length, ones.Length * 2)];
            Array.Fill(ones, 1);
            Volatile.Write(ref s_ones, ones);
        }
        return ones.AsMemory(0, length);
    }

    private void Return(ColumnKind kind)
    {
        switch (_values[(int)kind])
        {
            case null: break;
            // The views keep their strings alive: cleared before the pool hands the array to someone else.
            case ReadOnlyMemory<char>[] views: ArrayPool<ReadOnlyMemory<char>>.Shared.Return(views, clearArray: true); break;
            case bool[] a: ArrayPool<bool>.Shared.Return(a); break;
            case int[] a: ArrayPool<int>.Shared.Return(a); break;
            case long[] a: ArrayPool<long>.Shared.Return(a); break;
            case double[] a: ArrayPool<double>.Shared.Return(a); break;
            case decimal[] a: ArrayPool<decimal>.Shared.Return(a); break;
            case DateOnly[] a: ArrayPool<DateOnly>.Shared.Return(a); break;
            case DateTime[] a: ArrayPool<DateTime>.Shared.Return(a); break;
        }
        _values[(int)kind] = null;
    }

    public void Dispose()
    {
        foreach (var kind in Enum.GetValues<ColumnKind>())
        {
            Return(kind);
        }
        if (_levels.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_levels);
            _levels = [];
        }
    }
}
