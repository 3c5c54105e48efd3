// Reads one JSON Lines object's top-level fields: scalars as the record path holds them, nested values as text ranges.
using System.Text.Json;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources;

/// <summary>The fields of one line, reused line after line. A nested value (object or array) is
/// <see cref="Nested"/> in <see cref="Values"/> with its text at <see cref="Starts"/> / <see cref="Lengths"/> in the line.</summary>
internal sealed class JsonLineFields
{
    public static readonly object Nested = new();

    public List<string> Names { get; } = new(16);

    public List<object?> Values { get; } = new(16);

    public List<int> Starts { get; } = new(16);

    public List<int> Lengths { get; } = new(16);

    // The names of the line before, as read (UTF-8) and as strings: lines of one shape match them byte for byte, which
    // is cheaper than decoding each name and looking it up in the pool.
    private readonly List<byte[]> _lastUtf8 = new(16);
    private readonly List<string> _lastNames = new(16);

    /// <summary>Reads <paramref name="line"/>; false when it is not one well-formed JSON object (the record path then
    /// decides what it is, so rejections keep their exact text).</summary>
    public bool TryRead(ReadOnlySpan<byte> line, NamePool names)
    {
        Names.Clear();
        Values.Clear();
        Starts.Clear();
        Lengths.Clear();
        var reader = new Utf8JsonReader(line, JsonTextReading.Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    return !reader.Read();
                }
                var name = Name(ref reader, names, Names.Count);
                if (!reader.Read() || !TryReadValue(ref reader, names, out var value, out var start, out var length))
                {
                    return false;
                }
                Set(name, value, start, length);
            }
            return false;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The property name at the reader: the previous line's name at <paramref name="position"/> when it has
    /// the same bytes, otherwise the pool's.</summary>
    private string Name(ref Utf8JsonReader reader, NamePool names, int position)
    {
        var raw = reader.ValueSpan;
        if (position < _lastUtf8.Count && !reader.ValueIsEscaped && raw.SequenceEqual(_lastUtf8[position]))
        {
            return _lastNames[position];
        }
        var name = names.Get(ref reader);
        if (!reader.ValueIsEscaped && position <= _lastUtf8.Count)
        {
            if (position == _lastUtf8.Count)
            {
                _lastUtf8.Add(raw.ToArray());
                _lastNames.Add(name);
            }
            else
            {
                (_lastUtf8[position], _lastNames[position]) = (raw.ToArray(), name);
            }
        }
        return name;
    }

    private static bool TryReadValue(ref Utf8JsonReader reader, NamePool names, out object? value, out int start, out int length)
    {
        (start, length) = (0, 0);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                start = (int)reader.TokenStartIndex;
                reader.Skip();
                length = (int)reader.BytesConsumed - start;
                value = Nested;
                return true;
            default:
                return RecordJson.TryReadScalar(ref reader, names, out value);
        }
    }

    private void Set(string name, object? value, int start, int length)
    {
        var at = Names.IndexOf(name);
        if (at >= 0)
        {
            // A repeated name: the last value wins in the first one's place, as RecordJson does.
            (Values[at], Starts[at], Lengths[at]) = (value, start, length);
            return;
        }
        Names.Add(name);
        Values.Add(value);
        Starts.Add(start);
        Lengths.Add(length);
    }
}
