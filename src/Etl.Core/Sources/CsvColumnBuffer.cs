// One column of the batch a CSV file is read into: each row's value set straight from the reader's UTF-8 field.
using CsvHelper;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources;

/// <summary>
/// The values of one column for the rows of the batch being built. A row's values are set at its index in every
/// column and only count once the row is committed (<see cref="CsvBatchBuilder"/>), so a row that turns out bad half way
/// leaves nothing behind: the next row overwrites it. Arrays are new for each batch, since a sent batch is never changed.
/// </summary>
internal abstract class CsvColumnBuffer
{
    /// <summary>Estimated bytes a row holds in this column, besides the text of strings.</summary>
    public abstract int RowBytes { get; }

    /// <summary>Parses the field into row <paramref name="row"/>; false sends the row to the text path.</summary>
    public abstract bool TrySet(CsvReader reader, int field, int row);

    public abstract void SetNull(int row);

    /// <summary>Sets a value the text path converted (of the column's kind, or null).</summary>
    public abstract void SetValue(int row, object? value);

    public abstract void Grow(int capacity);

    /// <summary>The column of rows [0, <paramref name="rows"/>); the buffer starts a new batch of
    /// <paramref name="capacity"/> rows.</summary>
    public abstract Column Take(int rows, int capacity);

    /// <summary>The buffer for a column of <paramref name="type"/> (text when null); text shares the strings of repeated
    /// values through <paramref name="repeated"/> when given (the reader then pools none).</summary>
    public static CsvColumnBuffer For(ColumnType? type, bool utf8, int capacity, TextSize size, RepeatedStrings? repeated = null) => type switch
    {
        null or { Kind: ColumnKind.String } => new StringBuffer(utf8, capacity, size, repeated),
        { Format: not null } => new TextPathBuffer(type.Kind, capacity),
        { Kind: ColumnKind.Int64 } => new ParsedBuffer<long>(ColumnKind.Int64, System.Globalization.NumberStyles.Integer, capacity, Utf8Int64.TryParsePlain),
        { Kind: ColumnKind.Int32 } => new ParsedBuffer<int>(ColumnKind.Int32, System.Globalization.NumberStyles.Integer, capacity),
        { Kind: ColumnKind.Double } => new ParsedBuffer<double>(ColumnKind.Double, System.Globalization.NumberStyles.Float, capacity),
        { Kind: ColumnKind.Decimal } => new ParsedBuffer<decimal>(ColumnKind.Decimal, System.Globalization.NumberStyles.Float, capacity, Utf8Decimal.TryParsePlain),
        { Kind: ColumnKind.Bool } => new BoolBuffer(capacity),
        { Kind: ColumnKind.Date } => new DateBuffer(capacity),
        { Kind: ColumnKind.Timestamp } => new TimestampBuffer(capacity),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no CSV column of this type"),
    };

    /// <summary>A column of a value type: values and (once a row is null) null flags.</summary>
    internal abstract class Typed<T>(ColumnKind kind, int capacity) : CsvColumnBuffer
        where T : struct
    {
        private T[] _values = new T[capacity];
        private bool[]? _nulls;

        public override int RowBytes => System.Runtime.CompilerServices.Unsafe.SizeOf<T>() + 1;

        protected void Set(int row, T value)
        {
            _values[row] = value;
            if (_nulls is { } nulls)
            {
                nulls[row] = false;
            }
        }

        public override void SetNull(int row)
        {
            (_nulls ??= new bool[_values.Length])[row] = true;
            _values[row] = default;
        }

        public override void SetValue(int row, object? value)
        {
            if (value is null)
            {
                SetNull(row);
            }
            else
            {
                Set(row, (T)value);
            }
        }

        public override void Grow(int capacity)
        {
            Array.Resize(ref _values, capacity);
            if (_nulls is not null)
            {
                Array.Resize(ref _nulls, capacity);
            }
        }

        public override Column Take(int rows, int capacity)
        {
            // A row set null and then rolled back leaves a flag that the next row cleared: no null may be left at all.
            var nulls = _nulls is { } n && n.AsSpan(0, rows).Contains(true) ? n : null;
            var column = new TypedColumn<T>(kind, _values, nulls, rows);
            _values = new T[capacity];
            _nulls = null;
            return column;
        }
    }

    /// <summary>Reads a number written plainly (sign, digits, a point) straight from its bytes; false for anything else.</summary>
    internal delegate bool PlainParse<T>(ReadOnlySpan<byte> text, out T value);

    /// <summary>Numbers parsed from the UTF-8 bytes in the invariant culture with no group separators: only what the
    /// text path accepts too (CsvHelper's own parse took "1,5" for 15), everything else takes the text path. A
    /// <paramref name="plain"/> reader, when given, reads plain numbers first, to the value (and scale) the general
    /// parse gives.</summary>
    internal sealed class ParsedBuffer<T>(ColumnKind kind, System.Globalization.NumberStyles style, int capacity, PlainParse<T>? plain = null)
        : Typed<T>(kind, capacity)
        where T : struct, System.Numerics.INumberBase<T>
    {
        public override bool TrySet(CsvReader reader, int field, int row)
        {
            var span = reader.GetSpan(field);
            var value = default(T);
            if ((plain is null || !plain(span, out value))
                && !T.TryParse(span, style, System.Globalization.CultureInfo.InvariantCulture, out value))
            {
                return false;
            }
            Set(row, value);
            return true;
        }
    }

    /// <summary>A date or timestamp in a declared layout: always the text path, which knows layouts and zones.</summary>
    internal sealed class TextPathBuffer(ColumnKind kind, int capacity) : CsvColumnBuffer
    {
        private readonly CsvColumnBuffer _inner = kind == ColumnKind.Date ? new DateBuffer(capacity) : new TimestampBuffer(capacity);

        public override int RowBytes => _inner.RowBytes;

        public override bool TrySet(CsvReader reader, int field, int row) => false;

        public override void SetNull(int row) => _inner.SetNull(row);

        public override void SetValue(int row, object? value) => _inner.SetValue(row, value);

        public override void Grow(int capacity) => _inner.Grow(capacity);

        public override Column Take(int rows, int capacity) => _inner.Take(rows, capacity);
    }

    /// <summary>true, t, yes, y, 1 / false, f, no, n, 0 in any case, as the text path reads them; anything else (spaces
    /// around, other text) takes the text path.</summary>
    internal sealed class BoolBuffer(int capacity) : Typed<bool>(ColumnKind.Bool, capacity)
    {
        public override bool TrySet(CsvReader reader, int field, int row)
        {
            var span = reader.GetSpan(field);
            bool? value = span.Length switch
            {
                1 => (span[0] | 0x20) switch
                {
                    't' or 'y' => true,
                    'f' or 'n' => false,
                    _ => span[0] switch { (byte)'1' => true, (byte)'0' => false, _ => null },
                },
                2 when System.Text.Ascii.EqualsIgnoreCase(span, "no"u8) => false,
                3 when System.Text.Ascii.EqualsIgnoreCase(span, "yes"u8) => true,
                4 when System.Text.Ascii.EqualsIgnoreCase(span, "true"u8) => true,
                5 when System.Text.Ascii.EqualsIgnoreCase(span, "false"u8) => false,
                _ => null,
            };
            if (value is not { } b)
            {
                return false;
            }
            Set(row, b);
            return true;
        }
    }

    /// <summary>A date without a layout: an ISO date, or a timestamp at midnight UTC, as the text path reads it (a time of
    /// day takes the text path, which refuses it).</summary>
    internal sealed class DateBuffer(int capacity) : Typed<DateOnly>(ColumnKind.Date, capacity)
    {
        public override bool TrySet(CsvReader reader, int field, int row)
        {
            if (!Utf8Timestamp.TryParse(reader.GetSpan(field), out var timestamp) || timestamp.TimeOfDay != TimeSpan.Zero)
            {
                return false;
            }
            Set(row, DateOnly.FromDateTime(timestamp));
            return true;
        }
    }

    /// <summary>A timestamp without a layout: the common ISO shapes from the bytes, the others through the text parser.</summary>
    internal sealed class TimestampBuffer(int capacity) : Typed<DateTime>(ColumnKind.Timestamp, capacity)
    {
        public override bool TrySet(CsvReader reader, int field, int row)
        {
            if (!Utf8Timestamp.TryParse(reader.GetSpan(field), out var value) && !ValueConverter.TryParseTimestamp(reader.GetString(field), out value))
            {
                return false;
            }
            Set(row, value);
            return true;
        }
    }

    /// <summary>Estimated bytes of the strings set in a batch's columns so far, shared by its string columns.</summary>
    internal sealed class TextSize
    {
        public long Bytes { get; set; }
    }

    /// <summary>Text, read through CsvHelper's per-column string pool or <paramref name="repeated"/>.</summary>
    internal sealed class StringBuffer(bool utf8, int capacity, TextSize size, RepeatedStrings? repeated) : CsvColumnBuffer
    {
        /// <summary>What the UTF-8 decoder puts in place of bytes that are not UTF-8.</summary>
        private const char Replacement = '\uFFFD';

        /// <summary>A string's object header and length, besides its characters.</summary>
        private const int StringOverhead = 24;

        private string?[] _values = new string?[capacity];

        public override int RowBytes => 8;

        public override bool TrySet(CsvReader reader, int field, int row)
        {
            // A chunk's reader (the one with repeated strings) reads UTF-8 and pools nothing: the string is made from the
            // field's bytes once, rather than decoded again by the reader.
            var text = repeated is null ? reader.GetString(field) : Shared(reader.GetSpan(field));
            // Invalid bytes take the text path, which dead-letters the row; a U+FFFD that is in the data (EF BF BD) is kept.
            if (utf8 && text.Contains(Replacement, StringComparison.Ordinal) && !System.Text.Unicode.Utf8.IsValid(reader.GetSpan(field)))
            {
                return false;
            }
            _values[row] = text;
            size.Bytes += StringOverhead + (2L * text.Length);
            return true;
        }

        private string Shared(ReadOnlySpan<byte> utf8Bytes) => repeated!.Get(utf8Bytes) ?? System.Text.Encoding.UTF8.GetString(utf8Bytes);

        public override void SetNull(int row) => _values[row] = null;

        public override void SetValue(int row, object? value)
        {
            var text = (string?)value;
            _values[row] = text;
            size.Bytes += text is null ? 0 : StringOverhead + (2L * text.Length);
        }

        public override void Grow(int capacity) => Array.Resize(ref _values, capacity);

        public override Column Take(int rows, int capacity)
        {
            var column = new StringColumn(_values, rows);
            _values = new string?[capacity];
            return column;
        }
    }
}
