// Finds JSON strings whose \u escapes are not UTF-16 text (a lone or inverted surrogate: "\uDFAA"), which the tokenizer
// accepts and only decoding the string rejects.
using System.Text.Json;

namespace Etl.Records;

public static class JsonStringEscapes
{
    /// <summary>True when every string and property name in <paramref name="json"/> (one complete JSON value) decodes.
    /// Only a value holding a surrogate escape (\uD800–\uDFFF) is tokenized again, so ordinary text costs one scan.</summary>
    public static bool AllDecode(ReadOnlySpan<byte> json)
    {
        if (!HasSurrogateEscape(json))
        {
            return true;
        }
        var reader = new Utf8JsonReader(json, JsonReading.Options);
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    reader.GetString();
                }
            }
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Whether a "\u" escape of a surrogate code unit (\uD800–\uDFFF) occurs; an escaped backslash before a "u"
    /// can make this true for text without one, which only costs the full check.</summary>
    private static bool HasSurrogateEscape(ReadOnlySpan<byte> json)
    {
        while (true)
        {
            var at = json.IndexOf("\\u"u8);
            if (at < 0 || at + 3 >= json.Length)
            {
                return false;
            }
            if (json[at + 2] is (byte)'d' or (byte)'D' && json[at + 3] is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F'))
            {
                return true;
            }
            json = json[(at + 2)..];
        }
    }
}
