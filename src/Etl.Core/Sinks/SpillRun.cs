// One sorted run of spilled rows: partitions in ordinal order, each a list of chunks of encoded rows, read back in one pass.
using System.Text;

namespace Etl.Sinks;

/// <summary>Writes a run: for each partition (in ascending ordinal order) its key, its chunk count, then each chunk
/// as a length and the bytes of whole encoded rows; a negative chunk count ends the run.</summary>
internal sealed class SpillRunWriter(Stream stream) : IDisposable
{
    private readonly BinaryWriter _writer = new(stream, Encoding.UTF8, leaveOpen: false);

    public void StartPartition(string key, int chunks)
    {
        _writer.Write(chunks);
        _writer.Write(key);
    }

    public void WriteChunk(ReadOnlySpan<byte> chunk)
    {
        _writer.Write(chunk.Length);
        _writer.Write(chunk);
    }

    /// <summary>Starts a chunk of <paramref name="length"/> bytes, whose rows follow through <see cref="WriteRow"/>.</summary>
    public void StartChunk(int length) => _writer.Write(length);

    public void WriteRow(ReadOnlySpan<byte> row) => _writer.Write(row);

    public void Complete()
    {
        _writer.Write(-1);
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}

/// <summary>Reads a run front to back: <see cref="Key"/> is the partition at hand (null at the end); reading its
/// chunks moves on to the next one.</summary>
internal sealed class SpillRunReader : IDisposable
{
    private readonly BinaryReader _reader;
    private byte[] _buffer = new byte[1 << 16];

    public SpillRunReader(Stream stream)
    {
        _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: false);
        Next();
    }

    /// <summary>The partition whose chunks come next, or null when the run is over.</summary>
    public string? Key { get; private set; }

    /// <summary>Chunks of <see cref="Key"/> not read yet.</summary>
    public int Chunks { get; private set; }

    private void Next()
    {
        Chunks = _reader.ReadInt32();
        Key = Chunks < 0 ? null : _reader.ReadString();
    }

    /// <summary>The chunks of <see cref="Key"/>, each valid until the next one is read; then moves to the next partition.</summary>
    public IEnumerable<ArraySegment<byte>> ReadChunks()
    {
        while (Chunks > 0)
        {
            var length = _reader.ReadInt32();
            if (_buffer.Length < length)
            {
                _buffer = new byte[length];
            }
            _reader.BaseStream.ReadExactly(_buffer, 0, length);
            Chunks--;
            yield return new ArraySegment<byte>(_buffer, 0, length);
        }
        Next();
    }

    public void Dispose() => _reader.Dispose();
}
