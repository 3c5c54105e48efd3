// JSON text must be UTF-8 (RFC 8259). Decoding replaces a byte that is not with U+FFFD without a word, so a Latin-1
// "é" would reach the lake as "�": the JSON readers check their bytes and reject what is not UTF-8 instead.
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Etl.Records;

public static class Utf8Validity
{
    /// <summary>Whether <paramref name="bytes"/> is well-formed UTF-8 (vectorised: a small cost next to parsing).</summary>
    public static bool IsValid(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes);

    /// <summary>What a reader of a file can do about it.</summary>
    public const string FileRemedy = "JSON text is UTF-8; convert the file, e.g. iconv -f latin1 -t utf-8";

    /// <summary>What a reader of an HTTP response can do about it: the API sent other bytes without saying so.</summary>
    public const string ResponseRemedy = "JSON text is UTF-8, and the response's Content-Type names no other charset; the API sent bytes of another encoding without saying so";

    /// <summary>"not UTF-8 text: byte 0xE9 at offset 29 of the record (…)" for the first byte that does not decode, with
    /// <paramref name="remedy"/> in the parentheses.</summary>
    public static string Describe(ReadOnlySpan<byte> bytes, string remedy = FileRemedy)
    {
        var at = 0;
        while (at < bytes.Length && Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) == OperationStatus.Done)
        {
            at += consumed;
        }
        var found = at < bytes.Length ? $"byte 0x{bytes[at].ToString("X2", CultureInfo.InvariantCulture)} at offset {at} of the record" : "a cut character at the end";
        return $"not UTF-8 text: {found} ({remedy})";
    }
}
