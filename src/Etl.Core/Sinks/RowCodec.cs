// Rows of typed values as compact bytes, so a sink can hold many partitions' rows in a known amount of memory and spill them.
using System.Buffers.Binary;
using System.Text;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sinks;

/// <summary>Encodes the values at <paramref name="columns"/> of rows of <paramref name="schema"/>: per value a presence
/// byte, then the value (strings as a length and UTF-8, timestamps with their kind). Rows read back hold just those
/// columns, with the same values of the same CLR types.</summary>
internal sealed class RowCodec(TableSchema schema, int[] columns)
{
    private readonly ColumnKind[] _kinds = [.. columns.Select(c => schema.Columns[c].Type.Kind)];

    /// <summary>Bytes <paramref name="row"/> takes encoded.</summary>
    public int SizeOf(object?[] row)
    {
        var size = _kinds.Length;
        for (var c = 0; c < _kinds.Length; c++)
        {
            if (row[columns[c]] is { } value)
            {
                size += _kinds[c] == ColumnKind.String ? 4 + Encoding.UTF8.GetByteCount((string)value) : FixedSize(_kinds[c]);
            }
        }
        return size;
    }

    /// <summary>Bytes row <paramref name="row"/> of a conformed batch of the schema takes encoded (read from its typed
    /// columns, nothing boxed).</summary>
    public int SizeOf(ColumnBatch batch, int row)
    {
        var size = _kinds.Length;
        for (var c = 0; c < _kinds.Length; c++)
        {
            var column = batch.Columns[columns[c]];
            if (!column.IsNull(row))
            {
                size += _kinds[c] == ColumnKind.String ? 4 + Encoding.UTF8.GetByteCount(((StringColumn)column).Values[row]!) : FixedSize(_kinds[c]);
            }
        }
        return size;
    }

    private static int FixedSize(ColumnKind kind) => kind switch
    {
        ColumnKind.Bool => 1,
        ColumnKind.Int32 or ColumnKind.Date => 4,
        ColumnKind.Decimal => 16,
        _ => 8,
    };

    /// <summary>Writes <paramref name="row"/> at the start of <paramref name="target"/> (at least <see cref="SizeOf(object?[])"/>
    /// bytes); returns the bytes written.</summary>
    public int Write(object?[] row, Span<byte> target)
    {
        var at = 0;
        for (var c = 0; c < _kinds.Length; c++)
        {
            var value = row[columns[c]];
            target[at++] = value is null ? (byte)0 : (byte)1;
            if (value is not null)
            {
                at += WriteValue(_kinds[c], value, target[at..]);
            }
        }
        return at;
    }

    /// <summary>Writes row <paramref name="row"/> of a conformed batch of the schema as <see cref="Write(object?[], Span{byte})"/>
    /// writes the same values boxed.</summary>
    public int Write(ColumnBatch batch, int row, Span<byte> target)
    {
        var at = 0;
        for (var c = 0; c < _kinds.Length; c++)
        {
            var column = batch.Columns[columns[c]];
            var isNull = column.IsNull(row);
            target[at++] = isNull ? (byte)0 : (byte)1;
            if (!isNull)
            {
                at += WriteValue(_kinds[c], column, row, target[at..]);
            }
        }
        return at;
    }

    private static int WriteValue(ColumnKind kind, object value, Span<byte> target) => kind switch
    {
        ColumnKind.String => WriteString((string)value, target),
        ColumnKind.Bool => WriteBool((bool)value, target),
        ColumnKind.Int32 => WriteInt32((int)value, target),
        ColumnKind.Date => WriteInt32(((DateOnly)value).DayNumber, target),
        ColumnKind.Int64 => WriteInt64((long)value, target),
        ColumnKind.Double => WriteDouble((double)value, target),
        ColumnKind.Timestamp => WriteInt64(((DateTime)value).ToBinary(), target),
        ColumnKind.Decimal => WriteDecimal((decimal)value, target),
        _ => throw new InvalidOperationException($"no encoding for {kind}"),
    };

    private static int WriteValue(ColumnKind kind, Column column, int row, Span<byte> target) => kind switch
    {
        ColumnKind.String => WriteString(((StringColumn)column).Values[row]!, target),
        ColumnKind.Bool => WriteBool(ValueAt<bool>(column, row), target),
        ColumnKind.Int32 => WriteInt32(ValueAt<int>(column, row), target),
        ColumnKind.Date => WriteInt32(ValueAt<DateOnly>(column, row).DayNumber, target),
        ColumnKind.Int64 => WriteInt64(ValueAt<long>(column, row), target),
        ColumnKind.Double => WriteDouble(ValueAt<double>(column, row), target),
        ColumnKind.Timestamp => WriteInt64(ValueAt<DateTime>(column, row).ToBinary(), target),
        ColumnKind.Decimal => WriteDecimal(ValueAt<decimal>(column, row), target),
        _ => throw new InvalidOperationException($"no encoding for {kind}"),
    };

    private static T ValueAt<T>(Column column, int row)
        where T : struct => ((TypedColumn<T>)column).Values[row];

    private static int WriteString(string value, Span<byte> target)
    {
        var length = Encoding.UTF8.GetBytes(value, target[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(target, length);
        return 4 + length;
    }

    private static int WriteBool(bool value, Span<byte> target)
    {
        target[0] = value ? (byte)1 : (byte)0;
        return 1;
    }

    private static int WriteInt32(int value, Span<byte> target)
    {
        BinaryPrimitives.WriteInt32LittleEndian(target, value);
        return 4;
    }

    private static int WriteInt64(long value, Span<byte> target)
    {
        BinaryPrimitives.WriteInt64LittleEndian(target, value);
        return 8;
    }

    private static int WriteDouble(double value, Span<byte> target)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(target, value);
        return 8;
    }

    private static int WriteDecimal(decimal value, Span<byte> target)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        for (var i = 0; i < 4; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(target[(i * 4)..], bits[i]);
        }
        return 16;
    }

    /// <summary>The schema of the rows read back: the encoded columns, in their order.</summary>
    public TableSchema RowSchema { get; } = new([.. columns.Select(c => schema.Columns[c])]);

    /// <summary>Empty builders of <see cref="RowSchema"/>'s columns, for <see cref="ReadInto"/>.</summary>
    public ColumnBuilder[] NewBuilders(int capacity) => [.. _kinds.Select(k => ColumnBuilder.For(k, capacity))];

    /// <summary>Reads the row that starts at <paramref name="at"/> and moves <paramref name="at"/> past it.</summary>
    public object?[] Read(ReadOnlySpan<byte> source, ref int at)
    {
        var builders = NewBuilders(1);
        ReadInto(source, ref at, builders);
        return [.. builders.Select(b => b.Build().GetValue(0))];
    }

    /// <summary>Appends the row that starts at <paramref name="at"/> to <paramref name="builders"/> (from
    /// <see cref="NewBuilders"/>), unboxed, and moves <paramref name="at"/> past it.</summary>
    public void ReadInto(ReadOnlySpan<byte> source, ref int at, ColumnBuilder[] builders)
    {
        for (var c = 0; c < _kinds.Length; c++)
        {
            if (source[at++] == 0)
            {
                builders[c].AddNull();
            }
            else
            {
                at += ReadValue(_kinds[c], source[at..], builders[c]);
            }
        }
    }

    private static int ReadValue(ColumnKind kind, ReadOnlySpan<byte> source, ColumnBuilder builder)
    {
        switch (kind)
        {
            case ColumnKind.String:
                var length = BinaryPrimitives.ReadInt32LittleEndian(source);
                ((StringColumnBuilder)builder).Add(Encoding.UTF8.GetString(source.Slice(4, length)));
                return 4 + length;
            case ColumnKind.Bool:
                ((TypedColumnBuilder<bool>)builder).Add(source[0] != 0);
                return 1;
            case ColumnKind.Int32:
                ((TypedColumnBuilder<int>)builder).Add(BinaryPrimitives.ReadInt32LittleEndian(source));
                return 4;
            case ColumnKind.Date:
                ((TypedColumnBuilder<DateOnly>)builder).Add(DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32LittleEndian(source)));
                return 4;
            case ColumnKind.Int64:
                ((TypedColumnBuilder<long>)builder).Add(BinaryPrimitives.ReadInt64LittleEndian(source));
                return 8;
            case ColumnKind.Double:
                ((TypedColumnBuilder<double>)builder).Add(BinaryPrimitives.ReadDoubleLittleEndian(source));
                return 8;
            case ColumnKind.Timestamp:
                ((TypedColumnBuilder<DateTime>)builder).Add(DateTime.FromBinary(BinaryPrimitives.ReadInt64LittleEndian(source)));
                return 8;
            case ColumnKind.Decimal:
                Span<int> bits = stackalloc int[4];
                for (var i = 0; i < 4; i++)
                {
                    bits[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(i * 4)..]);
                }
                ((TypedColumnBuilder<decimal>)builder).Add(new decimal(bits));
                return 16;
            default:
                throw new InvalidOperationException($"no encoding for {kind}");
        }
    }
}
