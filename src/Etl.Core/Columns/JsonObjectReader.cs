// Reads named fields of one JSON object in one pass: a value is read where the reader meets it, not found first and
// read again.
using System.Text.Json;
using Etl.Records;

namespace Etl.Columns;

/// <summary>The fields <see cref="Names"/> of an object as the record path holds them: a repeated name replaces the
/// value (the last one wins, as in records), a field the object lacks is null.</summary>
internal sealed class JsonObjectReader
{
    private readonly string[] _names;
    // Names compared as UTF-8 (comparing to a string transcodes it on every call).
    private readonly byte[][] _utf8;
    private readonly NamePool _pool;
    private readonly JsonValuePooling _pooling;

    public JsonObjectReader(IReadOnlyList<string> names, NamePool pool, JsonValuePooling pooling)
    {
        _names = [.. names];
        _utf8 = [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];
        (_pool, _pooling) = (pool, pooling);
    }

    public IReadOnlyList<string> Names => _names;

    /// <summary>Reads the object whose start the reader is on into <paramref name="values"/> (one per name), leaving
    /// the reader on its end, where <see cref="Utf8JsonReader.Skip"/> would.</summary>
    public void Read(ref Utf8JsonReader reader, Span<ObjectFieldValue> values)
    {
        values.Clear();
        var next = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // Objects of one shape list the fields in one order: the field after the last one found is tried first.
            var match = next < _utf8.Length && reader.ValueTextEquals(_utf8[next]) ? next : Find(ref reader);
            reader.Read();
            if (match < 0)
            {
                reader.Skip();
                continue;
            }
            values[match] = Value(ref reader, match);
            next = match + 1;
        }
    }

    private int Find(ref Utf8JsonReader reader)
    {
        for (var f = 0; f < _utf8.Length; f++)
        {
            if (reader.ValueTextEquals(_utf8[f]))
            {
                return f;
            }
        }
        return -1;
    }

    /// <summary>The value at the reader as the record path holds it (a nested value is read to its end).</summary>
    private ObjectFieldValue Value(ref Utf8JsonReader reader, int field) => reader.TokenType switch
    {
        JsonTokenType.Null => default,
        JsonTokenType.String => new(ObjectFieldKind.Value, Value: _pooling.Read(ref reader, _pool, _names[field], field)),
        JsonTokenType.Number when reader.TryGetInt64(out var l) => new(ObjectFieldKind.Long, l),
        JsonTokenType.Number when RecordJson.TryGetWholeDecimal(ref reader, out var whole) => new(ObjectFieldKind.Value, Value: whole),
        JsonTokenType.Number => ObjectFieldValue.Of(reader.GetDouble()),
        JsonTokenType.True => new(ObjectFieldKind.True),
        JsonTokenType.False => new(ObjectFieldKind.False),
        _ => new(ObjectFieldKind.Value, Value: RecordJson.ReadValue(ref reader, _pool)),
    };
}
