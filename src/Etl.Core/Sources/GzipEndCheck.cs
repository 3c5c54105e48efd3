// Reads gzip data through GZipStream and tells a complete file from a truncated one, which GZipStream ends quietly.
using System.IO.Compression;

namespace Etl.Sources;

/// <summary>
/// GZipStream returns end of stream both after its last member and when the file stops inside a member (it reads
/// concatenated members, as <c>cat a.gz b.gz</c> makes, but does not report a member left unfinished). So the file's
/// bytes are followed by one more member holding <see cref="Marker"/>: GZipStream decodes it as a member of its own
/// only when every member before it was complete (checksum and length included); after a cut, its bytes continue the
/// unfinished member and the marker never comes out. The marker is held back from the reader and checked at the end.
/// A file that ends in zero padding after a whole member (<see cref="GzipPadding"/>) ends there, without the marker.
/// </summary>
internal sealed class GzipEndCheck : ReadOnlyStream
{
    /// <summary>Bytes that end the decompressed data of a complete file (and are not handed on).</summary>
    private static readonly byte[] Marker = "\0etl:gzip-data-ended-whole\0"u8.ToArray();

    /// <summary>A gzip member of <see cref="Marker"/>, appended to the file's bytes.</summary>
    internal static readonly byte[] EndMember = Compress(Marker);

    private const int BufferBytes = 1 << 16;

    private readonly GZipStream _gzip;
    private readonly GzipPadding _padding;
    private readonly byte[] _decoded = new byte[BufferBytes];
    private int _start;
    private int _end;
    private bool _ended;

    /// <param name="raw">The file's bytes, read through <paramref name="padding"/>, followed by <see cref="EndMember"/>.</param>
    /// <param name="padding">What holds back the zeros that end the file.</param>
    public GzipEndCheck(Stream raw, GzipPadding padding) => (_gzip, _padding) = (new GZipStream(raw, CompressionMode.Decompress), padding);

    /// <summary>Decompressed bytes read from the file so far (some not handed on yet).</summary>
    public long Decoded { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        int n;
        while (!TryHandOn(buffer, out n))
        {
            Compact();
            Added(_gzip.Read(_decoded.AsSpan(_end)));
        }
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        while (!TryHandOn(buffer.Span, out n))
        {
            Compact();
            Added(await _gzip.ReadAsync(_decoded.AsMemory(_end), cancellationToken));
        }
        return n;
    }

    /// <summary>Copies what can be handed on (all but the bytes that may be the marker) into <paramref name="buffer"/>;
    /// false when more must be decoded first.</summary>
    private bool TryHandOn(Span<byte> buffer, out int n)
    {
        n = 0;
        if (buffer.IsEmpty)
        {
            return true;
        }
        // Once the data ended, what is left is data (the marker, when there was one, is gone).
        var ready = _end - _start - (_ended ? 0 : Marker.Length);
        if (ready <= 0)
        {
            return _ended;
        }
        n = Math.Min(buffer.Length, ready);
        _decoded.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return true;
    }

    private void Compact()
    {
        _decoded.AsSpan(_start, _end - _start).CopyTo(_decoded);
        (_end, _start) = (_end - _start, 0);
    }

    /// <summary>Takes in <paramref name="n"/> decoded bytes; at the end, the marker must be what is left, unless the last
    /// member ended whole before zero padding.</summary>
    private void Added(int n)
    {
        if (n > 0)
        {
            _end += n;
            Decoded += n;
            return;
        }
        if (_padding.EndedInPadding)
        {
            _ended = true;
            return;
        }
        if (!_decoded.AsSpan(_start, _end - _start).SequenceEqual(Marker))
        {
            throw new EndOfStreamException("the gzip data ends inside a member");
        }
        _start = _end;
        _ended = true;
        Decoded -= Marker.Length;
    }

    private static byte[] Compress(byte[] data)
    {
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.NoCompression, leaveOpen: true))
        {
            gzip.Write(data);
        }
        return packed.ToArray();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }
        base.Dispose(disposing);
    }

}
