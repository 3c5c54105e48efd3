// Cuts a UTF-8 CSV stream into chunks of whole records, so that chunks can be parsed in parallel; it stops where it can
// no longer be sure where a record ends.
using System.Runtime.CompilerServices;

namespace Etl.Sources;

/// <summary>Whole records in <c>[prefix, Length)</c> of <see cref="Bytes"/> (the parser gives it back to the chunker
/// that made it), after a header line of the file's field count; the records start on line <see cref="FirstLine"/>, at
/// byte <see cref="Start"/> of the file, and end at byte <see cref="End"/>.</summary>
internal sealed record CsvChunk(byte[] Bytes, int Length, long FirstLine, long Start, long End);

/// <summary>
/// Finds where records end the way an RFC 4180 reader does — a line break outside quotes — while the quoting is
/// regular: a quote opens a field only right after a separator or a line break, and closes it only right before one
/// (or is doubled). Anything else (a stray quote that a recovering reader takes literally, a lone CR, a record longer
/// than <see cref="MaxGrowth"/> chunks) could be read another way by CsvHelper: the chunker stops at the last record
/// end before it and says where (<see cref="TailOffset"/>), and the rest of the file is read in one piece.
/// </summary>
internal sealed class CsvChunker
{
    /// <summary>Bytes of records in one chunk: enough that parsing it (about ten thousand rows of a typical file)
    /// outweighs handing it over several times, and few enough that the chunks in flight keep memory flat.</summary>
    public const int DefaultChunkBytes = 1 << 20;

    /// <summary>A record that does not fit in this many chunks ends the chunking (the reader of the rest handles it).</summary>
    public const int MaxGrowth = 64;

    private readonly Stream _stream;
    private readonly byte[] _prefix;
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly int _chunkBytes;

    // Buffers of parsed chunks, for the next ones: a few in flight, reused for the whole file (the shared pool would
    // round them up to the next power of two and keep them per thread).
    private readonly System.Collections.Concurrent.ConcurrentBag<byte[]> _free = [];
    private byte[] _buffer;
    private int _capacity;
    private int _filled;
    private int _scanned;
    private int _boundary;
    private bool _inQuotes;
    private bool _eof;
    private bool _done;
    private long _line;
    private long _offset;

    /// <param name="stream">The file's bytes from <paramref name="offset"/>, where a record starts, on line
    /// <paramref name="line"/>.</param>
    /// <param name="prefix">The header line each chunk starts with.</param>
    public CsvChunker(Stream stream, byte[] prefix, char delimiter, char quote, int chunkBytes, long offset, long line)
    {
        (_stream, _prefix, _delimiter, _quote, _chunkBytes, _offset, _line) = (stream, prefix, (byte)delimiter, (byte)quote, chunkBytes, offset, line);
        _capacity = prefix.Length + chunkBytes;
        _buffer = Rent(_capacity);
        prefix.CopyTo(_buffer, 0);
        _filled = _scanned = _boundary = prefix.Length;
    }

    /// <summary>Where the chunks stopped short of the end of the file: the byte offset of the first record they do not
    /// hold; null when they hold every record.</summary>
    public long? TailOffset { get; private set; }

    /// <summary>Every chunk from here on, in file order.</summary>
    public async IAsyncEnumerable<CsvChunk> ReadAllAsync([EnumeratorCancellation] CancellationToken ct)
    {
        while (await NextAsync(ct) is { } chunk)
        {
            yield return chunk;
        }
    }

    /// <summary>The next chunk, or null when there are no more (the end of the file, or <see cref="TailOffset"/>).</summary>
    public async ValueTask<CsvChunk?> NextAsync(CancellationToken ct)
    {
        while (!_done)
        {
            while (_filled < _capacity && !_eof)
            {
                var n = await _stream.ReadAsync(_buffer.AsMemory(_filled, _capacity - _filled), ct);
                _eof = n == 0;
                _filled += n;
            }
            if (!Scan())
            {
                return Stop(_boundary);
            }
            if (_eof)
            {
                _done = true;
                return _filled > _prefix.Length ? Take(_filled, last: true) : Release();
            }
            if (_boundary > _prefix.Length)
            {
                return Take(_boundary);
            }
            if (_capacity - _prefix.Length >= _chunkBytes * MaxGrowth)
            {
                return Stop(_boundary);
            }
            Grow(); // one record fills the chunk: read on
        }
        return null;
    }

    /// <summary>Scans the bytes read since the last call for quotes and line breaks (a quote or CR in the last byte
    /// read waits for the byte after it, unless the stream has ended); false when the quoting turned irregular.</summary>
    private bool Scan()
    {
        var data = _buffer.AsSpan(0, _filled);
        var i = _scanned;
        while (i < _filled)
        {
            var next = _inQuotes ? data[i..].IndexOfAny(_quote, (byte)'\r') : data[i..].IndexOfAny(_quote, (byte)'\n', (byte)'\r');
            if (next < 0)
            {
                i = _filled;
                break;
            }
            i += next;
            var b = data[i];
            if (b == '\n')
            {
                _boundary = ++i;
                continue;
            }
            if (i + 1 == _filled)
            {
                if (!_eof)
                {
                    break; // look at it once the next byte is read
                }
                i = _filled; // the last byte of the file: no chunk starts after it
                break;
            }
            var after = data[i + 1];
            if (b == '\r')
            {
                if (after != '\n')
                {
                    return false; // a lone CR: CsvHelper counts it as a line break, the chunks' line numbers would not
                }
                i += 2;
                if (!_inQuotes)
                {
                    _boundary = i;
                }
            }
            else if (!_inQuotes)
            {
                var before = i == _prefix.Length ? (byte)'\n' : data[i - 1];
                if (before != _delimiter && before != '\n')
                {
                    return false; // a quote inside an unquoted field
                }
                _inQuotes = true;
                i++;
            }
            else if (after == _quote)
            {
                i += 2; // an escaped quote
            }
            else if (after == _delimiter || after == '\n' || after == '\r')
            {
                _inQuotes = false;
                i++;
            }
            else
            {
                return false; // text after a closing quote
            }
        }
        _scanned = i;
        return true;
    }

    /// <summary>The records before <paramref name="end"/> as a chunk; the bytes after it start the next one, unless
    /// it is the <paramref name="last"/>.</summary>
    private CsvChunk Take(int end, bool last = false)
    {
        var chunk = new CsvChunk(_buffer, end, _line, _offset, _offset + (end - _prefix.Length));
        _line += _buffer.AsSpan(_prefix.Length, end - _prefix.Length).Count((byte)'\n');
        _offset = chunk.End;
        if (last)
        {
            _buffer = [];
            return chunk;
        }
        var rest = _filled - end;
        _capacity = _prefix.Length + Math.Max(_chunkBytes, rest * 2);
        var next = Rent(_capacity);
        _prefix.CopyTo(next, 0);
        _buffer.AsSpan(end, rest).CopyTo(next.AsSpan(_prefix.Length));
        _buffer = next;
        _scanned -= end - _prefix.Length;
        _filled = _prefix.Length + rest;
        _boundary = _prefix.Length;
        return chunk;
    }

    /// <summary>Ends the chunks at <paramref name="end"/>: the records after it are the tail.</summary>
    private CsvChunk? Stop(int end)
    {
        _done = true;
        TailOffset = _offset + (end - _prefix.Length);
        return end > _prefix.Length ? Take(end, last: true) : Release();
    }

    private CsvChunk? Release()
    {
        _buffer = [];
        return null;
    }

    private void Grow()
    {
        _capacity = _prefix.Length + ((_capacity - _prefix.Length) * 2);
        var grown = new byte[_capacity];
        _buffer.AsSpan(0, _filled).CopyTo(grown);
        _buffer = grown;
    }

    /// <summary>Takes back the buffer of a chunk that has been parsed.</summary>
    public void Return(CsvChunk chunk)
    {
        if (chunk.Bytes.Length == _prefix.Length + _chunkBytes)
        {
            _free.Add(chunk.Bytes);
        }
    }

    private byte[] Rent(int length) => length == _prefix.Length + _chunkBytes && _free.TryTake(out var free) ? free : new byte[length];
}
