// The UTF-8 byte order mark that Windows tools (Notepad, PowerShell, Excel exports) put before JSON text: RFC 8259 lets
// a parser ignore it, and readers such as DuckDB and pandas do, so every JSON reader of the engine skips it.
namespace Etl.Records;

public static class Utf8Bom
{
    public static ReadOnlySpan<byte> Bytes => [0xEF, 0xBB, 0xBF];

    /// <summary>The length of the mark at the start of <paramref name="text"/>: 3, or 0 when there is none.</summary>
    public static int LengthAt(ReadOnlySpan<byte> text) => text.StartsWith(Bytes) ? Bytes.Length : 0;
}
