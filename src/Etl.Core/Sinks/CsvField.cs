// Writes the values of one column of a conformed batch as CSV fields, formatted straight into CsvHelper's UTF-8 buffer
// (no string per value), in exactly the text CsvSink.Format gives them.
using CsvHelper;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sinks;

internal abstract class CsvField
{
    /// <summary>Writes the field of row <paramref name="row"/>; a null value is an empty field.</summary>
    public abstract void Write(CsvWriter writer, int row);

    /// <summary>The writer of <paramref name="column"/>, a column of <paramref name="type"/>.</summary>
    public static CsvField For(Column column, ColumnType type) => column switch
    {
        StringColumn text => new Text(text.Values),
        TypedColumn<bool> bools => new Bools(bools),
        TypedColumn<int> ints => new Formatted<int>(ints, ""),
        TypedColumn<long> longs => new Formatted<long>(longs, ""),
        TypedColumn<double> doubles => new Formatted<double>(doubles, "R"),
        TypedColumn<decimal> decimals => new Formatted<decimal>(decimals, "F" + type.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        TypedColumn<DateOnly> dates => new Dates(dates),
        TypedColumn<DateTime> timestamps => new Timestamps(timestamps),
        _ => new Boxed(column, type),
    };

    private sealed class Text(string?[] values) : CsvField
    {
        public override void Write(CsvWriter writer, int row) => writer.WriteField(values[row]);
    }

    private abstract class Typed<T>(TypedColumn<T> column) : CsvField
        where T : struct
    {
        private readonly T[] _values = column.Values;
        private readonly bool[]? _nulls = column.Nulls;

        public sealed override void Write(CsvWriter writer, int row)
        {
            if (_nulls is { } nulls && nulls[row])
            {
                writer.WriteField((string?)null);
            }
            else
            {
                WriteValue(writer, _values[row]);
            }
        }

        protected abstract void WriteValue(CsvWriter writer, T value);
    }

    private sealed class Bools(TypedColumn<bool> column) : Typed<bool>(column)
    {
        protected override void WriteValue(CsvWriter writer, bool value) => writer.WriteField(value ? "true"u8 : "false"u8);
    }

    private sealed class Formatted<T>(TypedColumn<T> column, string format) : Typed<T>(column)
        where T : struct, IUtf8SpanFormattable, ISpanFormattable
    {
        protected override void WriteValue(CsvWriter writer, T value) => writer.WriteField(value, format);
    }

    private sealed class Dates(TypedColumn<DateOnly> column) : Typed<DateOnly>(column)
    {
        protected override void WriteValue(CsvWriter writer, DateOnly value) => writer.WriteField(value, "yyyy-MM-dd");
    }

    private sealed class Timestamps(TypedColumn<DateTime> column) : Typed<DateTime>(column)
    {
        protected override void WriteValue(CsvWriter writer, DateTime value)
        {
            // The text of ValueConverter.FormatTimestamp, without a custom format string's general formatter.
            Span<byte> text = stackalloc byte[Utf8TimestampFormat.MaxLength];
            writer.WriteField(text[..Utf8TimestampFormat.Format(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value, text)]);
        }
    }

    // Anything else (not expected after the conformer) takes the record path's text.
    private sealed class Boxed(Column column, ColumnType type) : CsvField
    {
        public override void Write(CsvWriter writer, int row) => writer.WriteField(CsvSink.Format(column.GetValue(row), type));
    }
}
