// Incremental runs: the cursor state kept in the first sink's _state.json, and typed comparison of cursor values.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Etl.Records;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>The content of <c>_state.json</c>: the highest cursor value the last committed run wrote.</summary>
public sealed record IncrementalState(string CursorField, string Last, string RunId, DateTimeOffset CommittedAt)
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        TypeInfoResolver = JsonTypeInfoResolver.Combine(LakeJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };

    /// <summary>The cursor of the folder's latest committed version (the commit log's, which <c>_state.json</c> mirrors).</summary>
    public static async Task<IncrementalState?> TryReadAsync(string sinkFolder, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(sinkFolder);
        return (await CommitLog.SnapshotAsync(storage, storage.FullPath(sinkFolder), cancellationToken)).State;
    }

    /// <summary>The <c>_state.json</c> file itself (a folder committed before the commit log kept the cursor there).</summary>
    public static async Task<IncrementalState?> TryReadFileAsync(string sinkFolder, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(sinkFolder);
        var path = storage.Combine(sinkFolder, LakeCommitter.StateName);
        var bytes = await storage.ReadAllBytesAsync(path, cancellationToken);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<IncrementalState>(bytes, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid incremental state ({e.Message}); delete it or run with --full-refresh", e);
        }
    }
}

/// <summary>
/// A cursor value reduced to what it is compared as: a timestamp (UTC ticks), a number, or text (ordinal). Values of
/// two different kinds compare by their text. Strings that look like ISO timestamps or numbers compare as such, so
/// "2026-01-02T00:00:00+02:00" sorts before "2026-01-01T23:00:00Z" and "10" after "9".
/// </summary>
public readonly partial record struct CursorKey(CursorKind Kind, long Ticks, decimal Number, string Text) : IComparable<CursorKey>
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]|$)")]
    private static partial Regex IsoDate();

    public static CursorKey? From(object? value) => value switch
    {
        null => null,
        DateTime dt => Timestamp(dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
        DateTimeOffset o => Timestamp(o.UtcDateTime),
        DateOnly d => Timestamp(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
        long or int or short or byte or decimal => new CursorKey(CursorKind.Number, 0, Convert.ToDecimal(value, CultureInfo.InvariantCulture), ValueConverter.ToText(value)),
        double or float when Convert.ToDouble(value, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) && Math.Abs(d) < 7.9e28 =>
            new CursorKey(CursorKind.Number, 0, (decimal)d, ValueConverter.ToText(value)),
        string s => FromText(s),
        _ => new CursorKey(CursorKind.Text, 0, 0, ValueConverter.ToText(value)),
    };

    public static CursorKey FromText(string text)
    {
        var trimmed = text.Trim();
        if (IsoDate().IsMatch(trimmed))
        {
            try
            {
                return Timestamp(ValueConverter.ParseTimestamp(trimmed));
            }
            catch (FormatException)
            {
                // Not a timestamp after all: compared as text.
            }
        }
        if (decimal.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return new CursorKey(CursorKind.Number, 0, number, trimmed);
        }
        return new CursorKey(CursorKind.Text, 0, 0, text);
    }

    private static CursorKey Timestamp(DateTime utc) => new(CursorKind.Timestamp, utc.Ticks, 0, ValueConverter.FormatTimestamp(utc));

    public int CompareTo(CursorKey other) => Kind != other.Kind
        ? string.CompareOrdinal(Text, other.Text)
        : Kind switch
        {
            CursorKind.Timestamp => Ticks.CompareTo(other.Ticks),
            CursorKind.Number => Number.CompareTo(other.Number),
            _ => string.CompareOrdinal(Text, other.Text),
        };

    public static bool operator <(CursorKey a, CursorKey b) => a.CompareTo(b) < 0;

    public static bool operator >(CursorKey a, CursorKey b) => a.CompareTo(b) > 0;

    public static bool operator <=(CursorKey a, CursorKey b) => a.CompareTo(b) <= 0;

    public static bool operator >=(CursorKey a, CursorKey b) => a.CompareTo(b) >= 0;
}

public enum CursorKind { Timestamp, Number, Text }

/// <summary>The highest cursor value seen over the records written, thread-safe.</summary>
public sealed class CursorTracker
{
    private readonly Lock _gate = new();
    private CursorKey? _max;

    public CursorKey? Max
    {
        get
        {
            lock (_gate)
            {
                return _max;
            }
        }
    }

    public void Observe(object? value)
    {
        if (value is null || CursorKey.From(value) is not { } key)
        {
            return;
        }
        lock (_gate)
        {
            if (_max is not { } max || key > max)
            {
                _max = key;
            }
        }
    }
}
