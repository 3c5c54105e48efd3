// Short JSON string values, one instance per repeated value, found by their UTF-8 bytes (no transcoding, no string hash).
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Etl.Records;

/// <summary>
/// A direct-mapped cache from a value's UTF-8 bytes to its string: a value that repeats (a status, a country, a product
/// code) is decoded once. A slot keeps the first value that lands in it (replacing would thrash when many values share
/// slots: each miss would then copy its key as well). Only short unescaped values are kept, decoded as
/// <see cref="Encoding.UTF8"/> decodes them (what the name pool has always given).
/// </summary>
internal sealed class Utf8ValuePool
{
    public const int MaxChars = 32;
    private const int SlotBits = 13;
    private const int Slots = 1 << SlotBits;

    // A slot's key inline (its length in the first byte, then its bytes): a lookup reads one cache line, not a key
    // array somewhere in the heap. Allocated on the first value: a pool made for one small document does not pay for it.
    private const int KeyStride = 64;
    private byte[]? _keys;
    private string?[]? _values;

    /// <summary>The string at the reader when it is unescaped and at most 64 bytes long, from the cache when
    /// <paramref name="lookUp"/> (<paramref name="found"/>: it was there already; a value of at most
    /// <see cref="MaxChars"/> chars is kept there); null for any other string, which the caller decodes with
    /// <see cref="Utf8JsonReader.GetString"/>. Either way each value is decoded once.</summary>
    public string? Get(ref Utf8JsonReader reader, bool lookUp, out bool found)
    {
        found = false;
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxChars * 2)
        {
            return null;
        }
        var bytes = reader.ValueSpan;
        if (!lookUp || bytes.IsEmpty || bytes.Length >= KeyStride)
        {
            return Encoding.UTF8.GetString(bytes);
        }
        var slot = Slot(bytes);
        var key = (_keys ??= new byte[Slots * KeyStride]).AsSpan(slot * KeyStride, KeyStride);
        if (key[0] == bytes.Length && key.Slice(1, bytes.Length).SequenceEqual(bytes))
        {
            found = true;
            return _values![slot];
        }
        var value = Encoding.UTF8.GetString(bytes);
        if (value.Length <= MaxChars && key[0] == 0)
        {
            key[0] = (byte)bytes.Length;
            bytes.CopyTo(key[1..]);
            (_values ??= new string[Slots])[slot] = value;
        }
        return value;
    }

    // A multiplicative hash over 8 bytes at a time: values are at most 64 bytes, and a poor spread only costs misses
    // (a slot keeps its first value), so the general-purpose hash's mixing rounds are not needed.
    private static int Slot(ReadOnlySpan<byte> bytes)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15UL;
        var hash = (ulong)bytes.Length * Multiplier;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            hash = (hash ^ MemoryMarshal.Read<ulong>(bytes[i..])) * Multiplier;
        }
        ulong tail = 0;
        for (var shift = 0; i < bytes.Length; i++, shift += 8)
        {
            tail |= (ulong)bytes[i] << shift;
        }
        hash = (hash ^ tail) * Multiplier;
        return (int)(hash >> (64 - SlotBits));
    }
}
