// Reads JSON into records and writes records (and nested values) back as JSON.
using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Etl.Records;

public static class RecordJson
{
    /// <summary>Reads the value at the reader's current token: objects become records, arrays lists.</summary>
    public static object? ReadValue(ref Utf8JsonReader reader, NamePool names)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var record = new Record();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = names.Get(ref reader);
                    reader.Read();
                    record.Set(name, ReadValue(ref reader, names));
                }
                return record;
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadValue(ref reader, names));
                }
                return list;
            case JsonTokenType.String:
                return names.GetValueString(ref reader);
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var l))
                {
                    return l;
                }
                return reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"unexpected JSON token {reader.TokenType}");
        }
    }

    /// <summary>Parses one JSON document (an object or other value).</summary>
    public static object? Parse(ReadOnlySpan<byte> utf8, NamePool? names = null)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
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

    public static string Serialize(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, value);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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
    private const int MaxPooledValues = 4096;
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string Get(ref Utf8JsonReader reader) => Pool(ref reader, _names, int.MaxValue) ?? reader.GetString()!;

    public string GetValueString(ref Utf8JsonReader reader) => Pool(ref reader, _values, MaxPooledValues) ?? reader.GetString()!;

    private static string? Pool(ref Utf8JsonReader reader, Dictionary<string, string> pool, int max)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxPooledValueLength * 2)
        {
            return null;
        }
        Span<char> chars = stackalloc char[MaxPooledValueLength * 2];
        var n = Encoding.UTF8.GetChars(reader.ValueSpan, chars);
        if (max != int.MaxValue && n > MaxPooledValueLength)
        {
            return null;
        }
        var lookup = pool.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..n], out var s))
        {
            return s;
        }
        s = new string(chars[..n]);
        if (pool.Count < max)
        {
            pool[s] = s;
        }
        return s;
    }
}
