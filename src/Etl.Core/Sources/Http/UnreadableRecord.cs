// A record of a page whose text does not decode (a byte that is not UTF-8, a lone surrogate escape "\uDFAA"): set apart as a
// dead letter of its own, as the JSON file sources do, so the page's other records are still written.
using System.Text;
using System.Text.Json;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources.Http;

/// <summary>Stands in a page's items for the record that could not be read; <see cref="EndpointReader"/> dead-letters it
/// with the page's URL and its index. <paramref name="Readable"/> holds the fields that do decode (nested objects likewise),
/// for pagination alone: a cursor taken from the last record must not be lost to a bad byte in another field.</summary>
internal sealed record UnreadableRecord(string Reason, string Raw, Record? Readable = null)
{
    /// <summary>Reads the item at the reader's current token, whose end <paramref name="end"/> is (the reader past it, all
    /// in <paramref name="data"/>, the reader's buffer): its value, or an <see cref="UnreadableRecord"/> when its text does not
    /// decode. The reader ends after the item.</summary>
    public static object? Read(ref Utf8JsonReader reader, in Utf8JsonReader end, ReadOnlySpan<byte> data, NamePool names)
    {
        var start = (int)reader.TokenStartIndex;
        var text = data[start..(int)end.BytesConsumed];
        if (!Utf8Validity.IsValid(text))
        {
            reader = end;
            return new UnreadableRecord(Utf8Validity.Describe(text, Utf8Validity.ResponseRemedy), Excerpt(text), ReadableFields(text, names));
        }
        try
        {
            return RecordJson.ReadValue(ref reader, names);
        }
        catch (InvalidOperationException e)
        {
            // Well-formed JSON whose string escapes are no UTF-16 text.
            reader = end;
            return new UnreadableRecord("invalid JSON: " + e.Message, Excerpt(text), ReadableFields(text, names));
        }
    }

    private static string Excerpt(ReadOnlySpan<byte> text) => Encoding.UTF8.GetString(text[..Math.Min(text.Length, ResponseBody.DeadLetterBytes)]);

    /// <summary>The fields of an object item that decode; null for an item that is no object.</summary>
    private static Record? ReadableFields(ReadOnlySpan<byte> text, NamePool names)
    {
        var reader = new Utf8JsonReader(text, JsonTextReading.Options);
        reader.Read();
        return reader.TokenType == JsonTokenType.StartObject ? ReadableObject(ref reader, text, names) : null;
    }

    /// <summary>Reads the object at the reader's StartObject to its EndObject, keeping each field whose name and value decode.</summary>
    private static Record ReadableObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> text, NamePool names)
    {
        var record = new Record();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = DecodedName(ref reader);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                var inner = ReadableObject(ref reader, text, names);
                if (name is not null)
                {
                    record.Set(name, inner);
                }
                continue;
            }
            var end = reader;
            end.Skip();
            if (name is not null && Utf8Validity.IsValid(text[(int)reader.TokenStartIndex..(int)end.BytesConsumed]))
            {
                try
                {
                    record.Set(name, RecordJson.ReadValue(ref reader, names));
                    continue;
                }
                catch (InvalidOperationException)
                {
                    // A lone surrogate escape in this value: the field is left out.
                }
            }
            reader = end;
        }
        return record;
    }

    private static string? DecodedName(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
