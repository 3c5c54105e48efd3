// The errors a Parquet file's reading fails with, built in one place: each names the file and, where known, the column,
// and says what is not supported and what to do, since Parquet.Net's own messages name neither.
using Parquet.Meta;

namespace Etl.Sources;

internal static class ParquetReadError
{
    /// <summary>Who reads the file, as the messages name it (the bytes and codecs are Parquet.Net's).</summary>
    public const string Reader = "the Parquet reader (Parquet.Net 6.1)";

    /// <summary>The largest column chunk (uncompressed) read: a row group's column is read whole into .NET arrays and
    /// strings, which stop at 2 GiB; a larger one would run out of memory after minutes instead of failing.</summary>
    public const long MaxChunkBytes = int.MaxValue;

    /// <summary>The file's footer or schema could not be read.</summary>
    public static Exception Open(string file, Exception e) =>
        new InvalidDataException($"{file}: {Reader} cannot read its footer or schema: {e.Message}", e);

    /// <summary>A column's pages could not be read or decoded.</summary>
    public static Exception Column(string file, string column, ColumnMetaData? meta, Exception e) =>
        new InvalidDataException($"{file}: column '{column}': {Describe(meta, e)}", e);

    /// <summary>A column chunk larger than <see cref="MaxChunkBytes"/>, refused before it is read.</summary>
    public static Exception TooLarge(string file, string column, int group, long bytes) =>
        new NotSupportedException(FormattableString.Invariant(
            $"{file}: column '{column}': row group {group} holds {bytes:N0} bytes of it (uncompressed), more than the {MaxChunkBytes:N0} the Parquet source reads in one column chunk (it holds a row group's column in memory); rewrite the file with smaller row groups"));

    /// <summary>What the chunk uses that Parquet.Net 6.1 is known not to read, else its own message.</summary>
    private static string Describe(ColumnMetaData? meta, Exception e)
    {
        var unsupported = meta switch
        {
            { Codec: CompressionCodec.LZ4 } => "Hadoop-framed LZ4 (codec LZ4) is not supported by " + Reader + "; rewrite the file with snappy, zstd or LZ4_RAW",
            { Codec: CompressionCodec.LZO } => "LZO compression is not supported by " + Reader + "; rewrite the file with snappy, zstd or gzip",
            { Type: Parquet.Meta.Type.BOOLEAN } when meta.Encodings.Contains(Encoding.RLE) =>
                "RLE-encoded BOOLEAN values are not supported by " + Reader + "; rewrite the file with PLAIN booleans (data page v1)",
            { Type: Parquet.Meta.Type.FIXED_LEN_BYTE_ARRAY } when meta.Encodings.Contains(Encoding.BYTE_STREAM_SPLIT) =>
                "BYTE_STREAM_SPLIT-encoded FIXED_LEN_BYTE_ARRAY values (such as FLOAT16) are not supported by " + Reader + "; rewrite the file with PLAIN or dictionary encoding",
            _ when e is NotImplementedException =>
                "repeated values in a data page v2 are not supported by " + Reader + "; rewrite the file with data page v1",
            _ => null,
        };
        return unsupported is null ? $"{Reader} cannot read it: {e.Message}" : $"{unsupported} ({e.Message})";
    }
}
