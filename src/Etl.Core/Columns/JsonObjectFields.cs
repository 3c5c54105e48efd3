// Reads named fields of the JSON objects of a column into typed columns, each object in one pass.
using System.Text.Json;
using Etl.Records;

namespace Etl.Columns;

/// <summary>The fields <see cref="Names"/> of a column's objects, row by row. A field's value waits until the object
/// ends (see <see cref="JsonObjectReader"/>), then goes to its column; a field the object lacks, or every field of a
/// row that is not an object, is null.</summary>
internal sealed class JsonObjectFields
{
    private readonly JsonObjectReader _reader;
    private readonly ScalarColumnBuilder[] _columns;
    private readonly ObjectFieldValue[] _pending;

    public JsonObjectFields(IReadOnlyList<string> names, int rows, NamePool pool, JsonValuePooling pooling)
    {
        _reader = new JsonObjectReader(names, pool, pooling);
        _columns = [.. names.Select(_ => new ScalarColumnBuilder(rows))];
        _pending = new ObjectFieldValue[names.Count];
    }

    public IReadOnlyList<string> Names => _reader.Names;

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
                _reader.Read(ref reader, _pending);
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
}
