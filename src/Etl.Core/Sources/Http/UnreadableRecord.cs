// A record of a page whose text does not decode (a byte that is not UTF-8, a lone surrogate escape "\uDFAA"): set apart as a
// dead letter of its own, as the JSON file sources do, so the page's other records are still written.
using System.Text;
using System.Text.Json;
using Etl.Records;

namespace Etl.Sources.Http;

/// <summary>Stands in a page's items for the record that could not be read; <see cref="EndpointReader"/> dead-letters it
/// with the page's URL and its index.</summary>
internal sealed record UnreadableRecord(string Reason, string Raw)
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
            return new UnreadableRecord(Utf8Validity.Describe(text, Utf8Validity.ResponseRemedy), Excerpt(text));
        }
        try
        {
            return RecordJson.ReadValue(ref reader, names);
        }
        catch (InvalidOperationException e)
        {
            // Well-formed JSON whose string escapes are no UTF-16 text.
            reader = end;
            return new UnreadableRecord("invalid JSON: " + e.Message, Excerpt(text));
        }
    }

    private static string Excerpt(ReadOnlySpan<byte> text) => Encoding.UTF8.GetString(text[..Math.Min(text.Length, ResponseBody.DeadLetterBytes)]);
}
