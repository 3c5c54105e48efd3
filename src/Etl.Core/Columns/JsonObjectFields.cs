// Reads named fields of JSON objects into typed columns, each object in one pass: a value is read where the reader
// meets it, not found first and read again.
using System.Text.Json;
using Etl.Records;

namespace Etl.Columns;

/// <summary>The fields <see cref="Names"/> of a column's objects, row by row. A field's value waits until the object
/// ends (a repeated name replaces it: the last one wins, as in records), then goes to its column; a field the object
/// lacks, or every field of a row that is not an object, is null.</summary>
internal sealed class JsonObjectFields
{
    private readonly string[] _names;
    // Names compared as UTF-8 (comparing to a string transcodes it on every call).
    private readonly byte[][] _utf8;
    private readonly ScalarColumnBuilder[] _columns;
    private readonly Pending[] _pending;
    private readonly NamePool _pool;
    private readonly JsonValuePooling _pooling;

    public JsonObjectFields(IReadOnlyList<string> names, int rows, NamePool pool, JsonValuePooling pooling)
    {
        _names = [.. names];
        _utf8 = [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];
        _columns = [.. names.Select(_ => new ScalarColumnBuilder(rows))];
        _pending = new Pending[names.Count];
        (_pool, _pooling) = (pool, pooling);
    }

    public IReadOnlyList<string> Names => _names;

    /// <summary>Adds the fields of the object <paramref name="text"/> (empty: a null row).</summary>
    public void Add(ReadOnlySpan<byte> text)
    {
        Array.Clear(_pending);
        if (!text.IsEmpty)
        {
            var reader = new Utf8JsonReader(text, JsonTextReading.Options);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadObject(ref reader);
            }
        }
        for (var f = 0; f < _columns.Length; f++)
        {
            _pending[f].AddTo(_columns[f]);
        }
    }

    /// <summary>Adds the row before again (the same text as the row before).</summary>
    public void Repeat()
    {
        foreach (var column in _columns)
        {
            column.Repeat();
        }
    }

    public Column[] Build() => [.. _columns.Select(c => c.Build())];

    private void ReadObject(ref Utf8JsonReader reader)
    {
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
            _pending[match] = Read(ref reader, match);
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
    private Pending Read(ref Utf8JsonReader reader, int field) => reader.TokenType switch
    {
        JsonTokenType.Null => new(PendingKind.Null),
        JsonTokenType.String => new(PendingKind.Value, Value: _pooling.Read(ref reader, _pool, _names[field], field)),
        JsonTokenType.Number when reader.TryGetInt64(out var l) => new(PendingKind.Long, Long: l),
        JsonTokenType.Number when RecordJson.TryGetWholeDecimal(ref reader, out var whole) => new(PendingKind.Value, Value: whole),
        JsonTokenType.Number => new(PendingKind.Double, Double: reader.GetDouble()),
        JsonTokenType.True => new(PendingKind.True),
        JsonTokenType.False => new(PendingKind.False),
        _ => new(PendingKind.Value, Value: RecordJson.ReadValue(ref reader, _pool)),
    };

    private enum PendingKind : byte
    {
        Null,
        Long,
        Double,
        True,
        False,
        Value,
    }

    private readonly record struct Pending(PendingKind Kind, long Long = 0, double Double = 0, object? Value = null)
    {
        public void AddTo(ScalarColumnBuilder column)
        {
            switch (Kind)
            {
                case PendingKind.Long: column.Add(Long); break;
                case PendingKind.Double: column.Add(Double); break;
                case PendingKind.True: column.Add(true); break;
                case PendingKind.False: column.Add(false); break;
                case PendingKind.Value when Value is string s: column.Add(s); break;
                case PendingKind.Value: column.AddValue(Value); break;
                default: column.AddNull(); break;
            }
        }
    }
}
