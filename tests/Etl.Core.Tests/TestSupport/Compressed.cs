// Test inputs packed as a gzip or zstd file would hold them.
using System.IO.Compression;

namespace Etl.Core.Tests.TestSupport;

public static class Compressed
{
    public static byte[] Gzip(byte[] data)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return packed.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var packed = new MemoryStream();
        using (var zstd = new ZstdSharp.CompressionStream(packed, 3, leaveOpen: true))
        {
            zstd.Write(data);
        }
        return packed.ToArray();
    }
}
