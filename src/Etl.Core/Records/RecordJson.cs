// Reads JSON into records and writes records (and nested values) back as JSON.
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Etl.Records;

public static class RecordJson
{
    /// <summary>Reads the value at the reader's current token: objects become records, arrays lists.</summary>
    public static object? ReadValue(ref Utf8JsonReader reader, NamePool names) =>
        TryReadValue(ref reader, names, out var value) ? value : throw new JsonException("the JSON value is cut short");

    /// <summary>Reads the value at the reader's current token; false when the reader's block ends inside it (a
    /// streaming reader then restores its checkpoint and reads again with more data).</summary>
    public static bool TryReadValue(ref Utf8JsonReader reader, NamePool names, out object? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return TryReadObject(ref reader, names, out value);
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                value = list;
                while (reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        return true;
                    }
                    if (!TryReadValue(ref reader, names, out var item))
                    {
                        return false;
                    }
                    list.Add(item);
                }
                return false;
            default:
                return TryReadScalar(ref reader, names, out value) ? true : throw new JsonException($"unexpected JSON token {reader.TokenType}");
        }
    }

    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>An integer written without a point or exponent that is too large for a long (an account number, an
    /// unsigned 64-bit id) but fits a decimal (29 digits): kept exact rather than rounded to a double.</summary>
    public static bool TryGetWholeDecimal(ref Utf8JsonReader reader, out decimal value)
    {
        value = 0;
        var text = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        return text.IndexOfAny(".eE"u8) < 0 && reader.TryGetDecimal(out value);
    }

    /// <summary>The value of a scalar token: a string, a number (long when it is an integer that fits, decimal for a larger
    /// integer up to 29 digits, else double),
    /// true, false or null; false for any other token.</summary>
    public static bool TryReadScalar(ref Utf8JsonReader reader, NamePool names, out object? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = names.GetValueString(ref reader);
                return true;
            case JsonTokenType.Number:
                // Boxed apart: a conditional expression would turn every long into a double.
                if (reader.TryGetInt64(out var l))
                {
                    value = l;
                }
                else if (TryGetWholeDecimal(ref reader, out var whole))
                {
                    value = whole;
                }
                else
                {
                    value = reader.GetDouble();
                }
                return true;
            case JsonTokenType.True:
                value = True;
                return true;
            case JsonTokenType.False:
                value = False;
                return true;
            case JsonTokenType.Null:
                value = null;
                return true;
            default:
                value = null;
                return false;
        }
    }

    private static bool TryReadObject(ref Utf8JsonReader reader, NamePool names, out object? value)
    {
        var (fieldNames, fieldValues) = names.RentFields();
        value = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    value = new Record(names.Shape(fieldNames), [.. fieldValues]);
                    return true;
                }
                var name = names.Get(ref reader);
                if (!reader.Read() || !TryReadValue(ref reader, names, out var field))
                {
                    return false;
                }
                var at = fieldNames.IndexOf(name);
                if (at >= 0)
                {
                    fieldValues[at] = field; // a repeated name: the last value wins, as in most JSON readers
                }
                else
                {
                    fieldNames.Add(name);
                    fieldValues.Add(field);
                }
            }
            return false;
        }
        finally
        {
            names.ReturnFields(fieldNames, fieldValues);
        }
    }

    /// <summary>Parses one JSON document (an object or other value).</summary>
    public static object? Parse(ReadOnlySpan<byte> utf8, NamePool? names = null)
    {
        var reader = new Utf8JsonReader(utf8, JsonReading.Options);
        if (!reader.Read())
        {
            throw new JsonException("empty JSON document");
        }
        var value = ReadValue(ref reader, names ?? new NamePool());
        if (reader.Read())
        {
            throw new JsonException($"unexpected content after the JSON value at byte {reader.TokenStartIndex}");
        }
        return value;
    }

    // One buffer and writer per thread: sinks serialize every nested value of every record, and writing is synchronous.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;
    private const int RetainedBufferBytes = 64 * 1024;

    public static string Serialize(object? value)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            Write(writer, value);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity > RetainedBufferBytes)
            {
                // A rare huge value: do not keep its buffer for the thread's lifetime.
                t_buffer = null;
                t_writer = null;
            }
        }
    }

    public static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case int i: writer.WriteNumberValue(i); break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case double d: writer.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case DateTime or DateOnly: writer.WriteStringValue(ValueConverter.ToText(value)); break;
            case Record r:
                writer.WriteStartObject();
                for (var i = 0; i < r.Count; i++)
                {
                    writer.WritePropertyName(r.NameAt(i));
                    Write(writer, r.ValueAt(i));
                }
                writer.WriteEndObject();
                break;
            case IReadOnlyList<object?> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(ValueConverter.ToText(value)); break;
        }
    }
}

/// <summary>Keeps one string instance per distinct property name (and short repeated value) of a stream.</summary>
public sealed class NamePool
{
    private const int MaxPooledValueLength = 32;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Utf8ValuePool _values = new();
    private readonly Stack<(List<string>, List<object?>)> _fields = new();
    private readonly List<string[]> _shapes = [];
    private const int MaxShapes = 64;

    /// <summary>Scratch lists for the fields of one object (objects nest, so one pair per open object).</summary>
    public (List<string> Names, List<object?> Values) RentFields() =>
        _fields.TryPop(out var pair) ? pair : (new List<string>(16), new List<object?>(16));

    public void ReturnFields(List<string> names, List<object?> values)
    {
        names.Clear();
        values.Clear();
        _fields.Push((names, values));
    }

    /// <summary>One name array per distinct shape of object: records of the same shape share it, so readers
    /// map names to positions once per shape and no array is allocated per record.</summary>
    public string[] Shape(List<string> names)
    {
        foreach (var shape in _shapes)
        {
            if (shape.Length == names.Count && SameNames(shape, names))
            {
                return shape;
            }
        }
        string[] created = [.. names];
        if (_shapes.Count < MaxShapes)
        {
            _shapes.Add(created);
        }
        return created;
    }

    private static bool SameNames(string[] shape, List<string> names)
    {
        for (var i = 0; i < shape.Length; i++)
        {
            if (!ReferenceEquals(shape[i], names[i]) && !string.Equals(shape[i], names[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    public string Get(ref Utf8JsonReader reader) => Pool(ref reader, _names) ?? reader.GetString()!;

    public string GetValueString(ref Utf8JsonReader reader) => _values.Get(ref reader, lookUp: true, out _) ?? reader.GetString()!;

    /// <summary>The string value at the reader, looked up in the value pool when <paramref name="lookUp"/> (saying
    /// whether the pool held it, so a caller can stop asking for a field whose values do not repeat, such as
    /// timestamps); the same text either way.</summary>
    public string GetValueString(ref Utf8JsonReader reader, bool lookUp, out bool found) =>
        _values.Get(ref reader, lookUp, out found) ?? reader.GetString()!;

    private static string? Pool(ref Utf8JsonReader reader, Dictionary<string, string> pool)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxPooledValueLength * 2)
        {
            return null;
        }
        Span<char> chars = stackalloc char[MaxPooledValueLength * 2];
        var n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..n], out var s))
        {
            return s;
        }
        s = new string(chars[..n]);
        pool[s] = s;
        return s;
    }
}
