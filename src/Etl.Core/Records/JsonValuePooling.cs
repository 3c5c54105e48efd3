// Which string fields of JSON (lines, nested objects) go through the name pool's value pool: those whose values repeat.
using System.Text.Json;

namespace Etl.Records;

/// <summary>Per field position of a line: a short string is looked up in the value pool (one instance per repeated
/// value) until the field has shown that its values rarely repeat (timestamps, ids, free text); then it is decoded
/// directly, which is what the pool does on a miss anyway, minus the lookup. Either way the value is the same text.</summary>
internal sealed class JsonValuePooling
{
    /// <summary>Values a field is looked up with before it is judged.</summary>
    private const int Trial = 128;

    private readonly List<string> _names = new(16);
    private readonly List<(int Tries, int Hits)> _counts = new(16);

    public string Read(ref Utf8JsonReader reader, NamePool pool, string field, int position)
    {
        var (tries, hits) = Counts(field, position);
        if (tries >= Trial && hits * 4 < tries)
        {
            return pool.GetValueString(ref reader, lookUp: false, out _);
        }
        var value = pool.GetValueString(ref reader, lookUp: true, out var found);
        _counts[position] = (tries + 1, hits + (found ? 1 : 0));
        return value;
    }

    // The counts of the field at the position; a different field there starts afresh.
    private (int Tries, int Hits) Counts(string field, int position)
    {
        while (_names.Count <= position)
        {
            _names.Add(field);
            _counts.Add((0, 0));
        }
        if (!ReferenceEquals(_names[position], field))
        {
            _names[position] = field;
            _counts[position] = (0, 0);
        }
        return _counts[position];
    }
}
