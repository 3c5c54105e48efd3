// Rows of typed values as compact bytes, so a sink can hold many partitions' rows in a known amount of memory and spill them.
using System.Buffers.Binary;
using System.Text;
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
                size += _kinds[c] switch
                {
                    ColumnKind.String => 4 + Encoding.UTF8.GetByteCount((string)value),
                    ColumnKind.Bool => 1,
                    ColumnKind.Int32 or ColumnKind.Date => 4,
                    ColumnKind.Decimal => 16,
                    _ => 8,
                };
            }
        }
        return size;
    }

    /// <summary>Writes <paramref name="row"/> at the start of <paramref name="target"/> (at least <see cref="SizeOf"/>
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

    private static int WriteValue(ColumnKind kind, object value, Span<byte> target)
    {
        switch (kind)
        {
            case ColumnKind.String:
                var length = Encoding.UTF8.GetBytes((string)value, target[4..]);
                BinaryPrimitives.WriteInt32LittleEndian(target, length);
                return 4 + length;
            case ColumnKind.Bool:
                target[0] = (bool)value ? (byte)1 : (byte)0;
                return 1;
            case ColumnKind.Int32:
                BinaryPrimitives.WriteInt32LittleEndian(target, (int)value);
                return 4;
            case ColumnKind.Date:
                BinaryPrimitives.WriteInt32LittleEndian(target, ((DateOnly)value).DayNumber);
                return 4;
            case ColumnKind.Int64:
                BinaryPrimitives.WriteInt64LittleEndian(target, (long)value);
                return 8;
            case ColumnKind.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(target, (double)value);
                return 8;
            case ColumnKind.Timestamp:
                BinaryPrimitives.WriteInt64LittleEndian(target, ((DateTime)value).ToBinary());
                return 8;
            case ColumnKind.Decimal:
                Span<int> bits = stackalloc int[4];
                decimal.GetBits((decimal)value, bits);
                for (var i = 0; i < 4; i++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(target[(i * 4)..], bits[i]);
                }
                return 16;
            default:
                throw new InvalidOperationException($"no encoding for {kind}");
        }
    }

    /// <summary>Reads the row that starts at <paramref name="at"/> and moves <paramref name="at"/> past it.</summary>
    public object?[] Read(ReadOnlySpan<byte> source, ref int at)
    {
        var row = new object?[_kinds.Length];
        for (var c = 0; c < _kinds.Length; c++)
        {
            if (source[at++] != 0)
            {
                row[c] = ReadValue(_kinds[c], source[at..], out var size);
                at += size;
            }
        }
        return row;
    }

    private static object ReadValue(ColumnKind kind, ReadOnlySpan<byte> source, out int size)
    {
        switch (kind)
        {
            case ColumnKind.String:
                var length = BinaryPrimitives.ReadInt32LittleEndian(source);
                size = 4 + length;
                return Encoding.UTF8.GetString(source.Slice(4, length));
            case ColumnKind.Bool:
                size = 1;
                return source[0] != 0;
            case ColumnKind.Int32:
                size = 4;
                return BinaryPrimitives.ReadInt32LittleEndian(source);
            case ColumnKind.Date:
                size = 4;
                return DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32LittleEndian(source));
            case ColumnKind.Int64:
                size = 8;
                return BinaryPrimitives.ReadInt64LittleEndian(source);
            case ColumnKind.Double:
                size = 8;
                return BinaryPrimitives.ReadDoubleLittleEndian(source);
            case ColumnKind.Timestamp:
                size = 8;
                return DateTime.FromBinary(BinaryPrimitives.ReadInt64LittleEndian(source));
            case ColumnKind.Decimal:
                Span<int> bits = stackalloc int[4];
                for (var i = 0; i < 4; i++)
                {
                    bits[i] = BinaryPrimitives.ReadInt32LittleEndian(source[(i * 4)..]);
                }
                size = 16;
                return new decimal(bits);
            default:
                throw new InvalidOperationException($"no encoding for {kind}");
        }
    }
}
