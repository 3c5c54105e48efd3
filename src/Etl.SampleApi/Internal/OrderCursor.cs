// Encodes and decodes the opaque next_cursor of cursor pagination: the last id served, in base64url.
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Etl.SampleApi.Internal;

internal static class OrderCursor
{
    private const string Prefix = "after:";

    public static string Encode(int lastId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + lastId.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string cursor, out int lastId)
    {
        lastId = 0;
        Span<byte> bytes = stackalloc byte[32];
        // TryDecodeFromChars throws on characters outside base64url; IsValid keeps a bad cursor a 400, not a 500.
        if (!Base64Url.IsValid(cursor, out var length) || length > bytes.Length
            || !Base64Url.TryDecodeFromChars(cursor, bytes, out var written))
            return false;
        var text = Encoding.ASCII.GetString(bytes[..written]);
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out lastId);
    }
}
