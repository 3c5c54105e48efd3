// Shares one string per value among the repeated values of a text column (statuses, country codes) within a chunk of a
// CSV file, and stops looking once the column shows too many distinct values for sharing to pay.
using System.Text;

namespace Etl.Sources;

/// <summary>
/// A chunk's reader does not pool strings: CsvHelper's pool fills a table of thousands of values for every column
/// before it gives up on one whose values rarely repeat (names, notes), which costs more than the chunk saves when it
/// starts afresh every chunk. This one takes at most <see cref="MaxValues"/> values.
/// </summary>
internal sealed class RepeatedStrings
{
    /// <summary>Distinct values kept; the next one switches sharing off for the column.</summary>
    public const int MaxValues = 64;

    /// <summary>Longer values are not shared: they rarely repeat.</summary>
    public const int MaxBytes = 64;

    /// <summary>Slots of the table: twice the values it keeps, so that probes stay short.</summary>
    private const int Slots = MaxValues * 2;

    // An open-addressing table keyed by the values' UTF-8 bytes (no decoding to look a value up), made at the first
    // value: a wide file has hundreds of text columns, and a chunk of it few rows.
    private byte[]?[]? _keys;
    private string[] _strings = [];
    private int _count;
    private bool _off;

    /// <summary>The string of the UTF-8 <paramref name="value"/> (invalid bytes decode as U+FFFD, as CsvHelper's do),
    /// shared with the earlier rows that had it; null when the value is not shared (the caller makes its own).</summary>
    public string? Get(ReadOnlySpan<byte> value)
    {
        if (_off || value.Length > MaxBytes)
        {
            return null;
        }
        if (_keys is null)
        {
            _keys = new byte[Slots][];
            _strings = new string[Slots];
        }
        var slot = Hash(value) & (Slots - 1);
        while (_keys[slot] is { } key)
        {
            if (value.SequenceEqual(key))
            {
                return _strings[slot];
            }
            slot = (slot + 1) & (Slots - 1);
        }
        if (_count == MaxValues)
        {
            _off = true;
            return null;
        }
        var text = Encoding.UTF8.GetString(value);
        (_keys[slot], _strings[slot]) = (value.ToArray(), text);
        _count++;
        return text;
    }

    /// <summary>FNV-1a over the bytes: values are short, and the table small.</summary>
    private static int Hash(ReadOnlySpan<byte> value)
    {
        var hash = 2166136261u;
        foreach (var b in value)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return (int)(hash ^ (hash >> 15));
    }
}
