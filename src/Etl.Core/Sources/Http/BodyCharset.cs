// The charset a response declares for its body: the few APIs that send JSON in another than UTF-8 (RFC 8259 asks for UTF-8) are read as they meant.
using System.Net.Http.Headers;
using System.Text;

namespace Etl.Sources.Http;

internal static class BodyCharset
{
    // windows-1252, shift_jis and the other legacy code pages, besides the Unicode ones and Latin-1 .NET always has.
    static BodyCharset() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding a body must be decoded from, or null when it is read as UTF-8: no charset, utf-8, us-ascii (a
    /// subset, often said of UTF-8 bodies) or a charset .NET does not know (read as UTF-8, as a JSON reader must).</summary>
    public static Encoding? Of(HttpContentHeaders headers)
    {
        // The raw header first, so the usual answer (no charset, or utf-8) costs no parsing.
        if (!headers.NonValidated.TryGetValues("Content-Type", out var values)
            || !values.ToString().Contains("charset", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var charset = headers.ContentType?.CharSet?.Trim('"', ' ');
        if (string.IsNullOrEmpty(charset) || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)
            || charset.Equals("ascii", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            var encoding = Encoding.GetEncoding(charset);
            return encoding.CodePage == Encoding.UTF8.CodePage ? null : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
