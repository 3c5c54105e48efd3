// A gzip or zstd file as its decompressed bytes, decoded as they are read; damaged or cut-short data fails naming the file.
using ZstdSharp;

namespace Etl.Sources;

/// <summary>
/// Decompresses sequentially: memory stays that of the decoder's buffers whatever the file's size. Concatenated gzip
/// members and zstd frames read as one. A file that is empty, is not of its codec, is corrupt or ends early throws an
/// <see cref="InvalidDataException"/> naming the file and how far it was read, never a short read.
/// </summary>
public sealed class DecompressingStream : ReadOnlyStream
{
    private static readonly byte[] GzipMagic = [0x1F, 0x8B];
    private static readonly byte[] ZstdMagic = [0x28, 0xB5, 0x2F, 0xFD];

    private readonly CountedInput _raw;
    private readonly Stream _decoder;
    private readonly string _file;
    private readonly InputCompression _codec;
    private long _produced;

    internal DecompressingStream(Stream raw, string file, InputCompression codec)
    {
        (_file, _codec) = (file, codec);
        if (codec == InputCompression.Gzip)
        {
            var padding = new GzipPadding(raw);
            _raw = new CountedInput(padding, GzipEndCheck.EndMember);
            _decoder = new GzipEndCheck(_raw, padding);
        }
        else
        {
            _raw = new CountedInput(raw, []);
            _decoder = new DecompressionStream(_raw, checkEndOfStream: true, leaveOpen: false);
        }
    }

    private string Codec => _codec == InputCompression.Gzip ? "gzip" : "zstd";

    /// <summary>The file's own (compressed) bytes read so far.</summary>
    public long FileBytesRead => _raw.Count;

    /// <summary>About how many of the file's own bytes hold the first <paramref name="position"/> decompressed bytes.</summary>
    public long FileBytesAt(long position) =>
        _produced == 0 ? 0 : Math.Min(_raw.Count, (long)((double)Math.Min(position, _produced) / _produced * _raw.Count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _decoder.Read(buffer);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(e);
        }
        return Produced(n, buffer.Length);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await _decoder.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (IsDamage(e))
        {
            throw Damaged(e);
        }
        return Produced(n, buffer.Length);
    }

    private int Produced(int n, int asked)
    {
        if (n == 0 && asked > 0 && _raw.Count == 0)
        {
            throw new InvalidDataException($"{_file}: the file is empty, which is not {Codec} data (set the source's \"compression\" to \"none\" to read it as it is)");
        }
        _produced += n;
        return n;
    }

    /// <summary>A fault of the data rather than of reading it (which keeps its own error).</summary>
    private bool IsDamage(Exception e) =>
        !_raw.Failed && e is InvalidDataException or ZstdException or EndOfStreamException;

    private InvalidDataException Damaged(Exception e)
    {
        var magic = _codec == InputCompression.Gzip ? GzipMagic : ZstdMagic;
        // An error once every byte of the file decoded well (gzip: in the end member that follows them) is a cut.
        var what = e is EndOfStreamException || _raw.PastTheEnd
            ? $"the {Codec} data ends early: the file is cut short" + (_codec == InputCompression.Gzip ? " (or has bytes after its last gzip member)" : "")
            : !_raw.Head.StartsWith(magic) && !IsSkippableZstdFrame(_raw.Head)
            ? $"not {Codec} data (it starts with {Convert.ToHexString(_raw.Head.ToArray()).ToLowerInvariant()}, {Codec} with {Convert.ToHexString(magic).ToLowerInvariant()}); set the source's \"compression\" to read it otherwise"
            : $"corrupt {Codec} data ({(_codec == InputCompression.Gzip ? "a block or checksum does not decode" : e.Message.TrimEnd('.'))})";
        return new InvalidDataException($"{_file}: {what}; read {_raw.Count:N0} bytes of the file, {_produced:N0} bytes decompressed", e);
    }

    private bool IsSkippableZstdFrame(ReadOnlySpan<byte> head) =>
        _codec == InputCompression.Zstd && head is [>= 0x50 and <= 0x5F, 0x2A, 0x4D, 0x18, ..];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
            _raw.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _decoder.DisposeAsync();
        await _raw.DisposeAsync();
        await base.DisposeAsync();
    }


    /// <summary>The file's bytes as the decoder reads them, counted, then <paramref name="after"/> once they end.</summary>
    private sealed class CountedInput(Stream inner, byte[] after) : ReadOnlyStream
    {
        private readonly byte[] _head = new byte[4];
        private int _headLength;
        private int _afterRead;
        private bool _ended;

        public long Count { get; private set; }

        /// <summary>Whether the file's bytes ended and the decoder took some of what follows them.</summary>
        public bool PastTheEnd => _afterRead > 0;

        /// <summary>Whether reading the file itself failed (that error is kept as it is).</summary>
        public bool Failed { get; private set; }

        /// <summary>The file's first bytes, to say what it is when it is not what it should be.</summary>
        public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

        public override int Read(Span<byte> buffer)
        {
            if (!_ended && !buffer.IsEmpty)
            {
                int n;
                try
                {
                    n = inner.Read(buffer);
                }
                catch
                {
                    Failed = true;
                    throw;
                }
                if (n > 0)
                {
                    return Counted(buffer[..n]);
                }
                _ended = true;
            }
            return After(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_ended && !buffer.IsEmpty)
            {
                int n;
                try
                {
                    n = await inner.ReadAsync(buffer, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Failed = true;
                    throw;
                }
                if (n > 0)
                {
                    return Counted(buffer.Span[..n]);
                }
                _ended = true;
            }
            return After(buffer.Span);
        }

        private int Counted(Span<byte> read)
        {
            if (_headLength < _head.Length)
            {
                var take = Math.Min(read.Length, _head.Length - _headLength);
                read[..take].CopyTo(_head.AsSpan(_headLength));
                _headLength += take;
            }
            Count += read.Length;
            return read.Length;
        }

        private int After(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, after.Length - _afterRead);
            after.AsSpan(_afterRead, n).CopyTo(buffer);
            _afterRead += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

    }
}
