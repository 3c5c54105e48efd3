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

    // Made at the first value: a wide file has hundreds of text columns, and a chunk of it few rows.
    private Dictionary<string, string>? _values;
    private Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private bool _off;

    /// <summary>The string of the UTF-8 <paramref name="value"/> (invalid bytes decode as U+FFFD, as CsvHelper's do),
    /// shared with the earlier rows that had it; null when the value is not shared (the caller makes its own).</summary>
    public string? Get(ReadOnlySpan<byte> value)
    {
        if (_off || value.Length > MaxBytes)
        {
            return null;
        }
        if (_values is null)
        {
            _values = new Dictionary<string, string>(MaxValues, StringComparer.Ordinal);
            _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
        }
        Span<char> buffer = stackalloc char[MaxBytes];
        var text = buffer[..Encoding.UTF8.GetChars(value, buffer)];
        if (_lookup.TryGetValue(text, out var shared))
        {
            return shared;
        }
        if (_values.Count == MaxValues)
        {
            _off = true;
            return null;
        }
        shared = new string(text);
        _values.Add(shared, shared);
        return shared;
    }
}
