// Reads one JSON Lines object's top-level fields: scalars as the record path holds them, nested values as text ranges.
using System.Text.Json;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources;

/// <summary>The fields of one line, reused line after line (and chunk after chunk, with its <see cref="Pool"/>, by one
/// thread at a time). Scalars are read unboxed; a nested value (object or array) is kept as its text's range.</summary>
internal sealed class JsonLineFields
{
    public JsonLineFields(NestedReads reads)
    {
        ReadAhead = new JsonLineReadAhead(reads, Pool);
        _reads = reads;
    }

    // Which top-level fields the transforms read: a string of any other stays text, decoded only if it is ever read.
    private readonly NestedReads _reads;

    public NamePool Pool { get; } = new();

    /// <summary>Fields of nested objects read while the line is read (what the plan says the transforms read).</summary>
    public JsonLineReadAhead ReadAhead { get; }

    public List<string> Names { get; } = new(16);

    public List<JsonFieldValue> Values { get; } = new(16);

    /// <summary>The elements of the line's top-level arrays, relative to the line.</summary>
    public JsonElementRanges Elements { get; } = new(64);

    private readonly JsonValuePooling _pooling = new();

    // The names of the line before, as read (UTF-8) and as strings: lines of one shape match them byte for byte, which
    // is cheaper than decoding each name and looking it up in the pool.
    private readonly List<byte[]> _lastUtf8 = new(16);
    private readonly List<string> _lastNames = new(16);

    /// <summary>Reads <paramref name="line"/>; false when it is not one well-formed JSON object (the record path then
    /// decides what it is, so rejections keep their exact text).</summary>
    public bool TryRead(ReadOnlySpan<byte> line)
    {
        var names = Pool;
        Names.Clear();
        Values.Clear();
        Elements.Clear();
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
                if (!reader.Read() || !TryReadValue(ref reader, name, out var value))
                {
                    return false;
                }
                if (value.Kind == JsonFieldKind.Nested && !JsonStringEscapes.AllDecode(line.Slice(value.Start, value.Length)))
                {
                    return false; // a nested value is decoded later, when a row can no longer be rejected
                }
                Set(name, value);
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

    /// <summary>The value at the reader as the record path would read it (RecordJson.TryReadScalar), unboxed.</summary>
    private bool TryReadValue(ref Utf8JsonReader reader, string name, out JsonFieldValue value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                return TryReadArray(ref reader, ReadAhead.IsEmpty ? -1 : ReadAhead.ElementSlot(name), out value);
            case JsonTokenType.StartObject:
                var start = (int)reader.TokenStartIndex;
                if (!ReadAhead.IsEmpty && ReadAhead.ObjectSlot(name) is var slot and >= 0)
                {
                    ReadAhead.ReadObject(slot, ref reader);
                }
                else
                {
                    reader.Skip();
                }
                value = new(JsonFieldKind.Nested, Start: start, Length: (int)reader.BytesConsumed - start);
                return true;
            case JsonTokenType.String when !_reads.Reads(name):
                // Kept as its text (a JSON value of its own that the text column decodes to the same string); TryRead
                // checks that it decodes, as for any nested value.
                value = new(JsonFieldKind.Nested, Start: (int)reader.TokenStartIndex, Length: (int)reader.BytesConsumed - (int)reader.TokenStartIndex);
                return true;
            case JsonTokenType.String:
                value = new(JsonFieldKind.String, String: _pooling.Read(ref reader, Pool, name, Names.Count));
                return true;
            case JsonTokenType.Number when reader.TryGetInt64(out var l):
                value = new(JsonFieldKind.Long, Long: l);
                return true;
            case JsonTokenType.Number when RecordJson.TryGetWholeDecimal(ref reader, out _):
                // An integer beyond a long: the record path keeps it as an exact decimal (a rare line, read that way).
                value = default;
                return false;
            case JsonTokenType.Number:
                value = new(JsonFieldKind.Double, Double: reader.GetDouble());
                return true;
            case JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                value = new(reader.TokenType switch
                {
                    JsonTokenType.True => JsonFieldKind.True,
                    JsonTokenType.False => JsonFieldKind.False,
                    _ => JsonFieldKind.Null,
                });
                return true;
            default:
                value = default;
                return false;
        }
    }

    /// <summary>Reads the array at the reader as nested text, noting where each element lies (what explode then takes
    /// instead of reading the array again); a null element has length 0. Elements of a read-ahead
    /// <paramref name="slot"/> (not -1) have their fields read too.</summary>
    private bool TryReadArray(ref Utf8JsonReader reader, int slot, out JsonFieldValue value)
    {
        var start = (int)reader.TokenStartIndex;
        var first = Elements.Count;
        bool more;
        while ((more = reader.Read()) && reader.TokenType != JsonTokenType.EndArray)
        {
            var at = (int)reader.TokenStartIndex;
            var isNull = reader.TokenType == JsonTokenType.Null;
            if (slot >= 0)
            {
                ReadAhead.ReadElement(slot, Elements.Count, ref reader);
            }
            else
            {
                reader.Skip();
            }
            Elements.Add(at, isNull ? 0 : (int)reader.BytesConsumed - at);
        }
        value = new(JsonFieldKind.Nested, Start: start, Length: (int)reader.BytesConsumed - start, FirstElement: first,
            ElementCount: Elements.Count - first);
        return more;
    }

    private void Set(string name, JsonFieldValue value)
    {
        var at = Names.IndexOf(name);
        if (at >= 0)
        {
            // A repeated name: the last value wins in the first one's place, as RecordJson does.
            Values[at] = value;
            return;
        }
        Names.Add(name);
        Values.Add(value);
    }
}
