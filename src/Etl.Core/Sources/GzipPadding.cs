// Holds back the zero bytes that end a gzip file (tar-style padding after the last member, which gzip -d and Python's
// gzip accept), so that the end check sees where the last member itself ends.
namespace Etl.Sources;

/// <summary>
/// A zero run is handed on as soon as more data follows it. One that ends the file may hold the last bytes of the last
/// member's trailer (its CRC-32 and length often end in zeros), or padding, or both: its zeros go on one read at a time.
/// GZipStream takes each one its member still needs and asks for more; once the member is whole (checksum and length
/// checked), the next zero is not the start of another member and it stops without asking again:
/// <see cref="EndedInPadding"/> then tells <see cref="GzipEndCheck"/> that the data ended whole. A member cut short
/// takes the zeros as data and fails as before; any other byte after the last member is handed on as it is.
/// </summary>
internal sealed class GzipPadding(Stream inner) : ReadOnlyStream
{
    /// <summary>Zero bytes a member may still need: its trailer is a CRC-32 and a length, four bytes each; one more shows
    /// whether the member took them all. A decoder that takes more is not reading a trailer, and gets no more.</summary>
    public const int TrailerBytes = 8;

    private const int BufferBytes = 1 << 16;

    private readonly byte[] _buffer = new byte[BufferBytes];
    private int _start;
    private int _end;
    // Zeros to hand on before _buffer[_start.._end] (a run that more data followed), and the run after them, not known yet
    // to be data or padding.
    private long _lead;
    private long _held;
    private int _fed;
    private bool _ended;

    /// <summary>Whether the last read handed on a zero of the run that ends the file: when the decoder stops there, without
    /// asking for more, its last member ended whole before that zero.</summary>
    public bool EndedInPadding { get; private set; }

    public override int Read(Span<byte> buffer)
    {
        EndedInPadding = false;
        int n;
        while (!TryHandOn(buffer, out n))
        {
            Took(inner.Read(_buffer));
        }
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EndedInPadding = false;
        int n;
        while (!TryHandOn(buffer.Span, out n))
        {
            Took(await inner.ReadAsync(_buffer, cancellationToken));
        }
        return n;
    }

    /// <summary>Copies what can be handed on into <paramref name="buffer"/>; false when more of the file must be read first.</summary>
    private bool TryHandOn(Span<byte> buffer, out int n)
    {
        n = 0;
        if (buffer.IsEmpty)
        {
            return true;
        }
        if (_lead > 0)
        {
            n = (int)Math.Min(buffer.Length, _lead);
            buffer[..n].Clear();
            _lead -= n;
            return true;
        }
        if (_start < _end)
        {
            n = Math.Min(buffer.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(buffer);
            _start += n;
            return true;
        }
        if (!_ended)
        {
            return false;
        }
        if (_held > 0 && _fed <= TrailerBytes)
        {
            buffer[0] = 0;
            (_held, _fed, n) = (_held - 1, _fed + 1, 1);
            EndedInPadding = true;
        }
        return true;
    }

    /// <summary>Takes in the <paramref name="n"/> bytes just read into the buffer (none: the file ended).</summary>
    private void Took(int n)
    {
        if (n == 0)
        {
            _ended = true;
            return;
        }
        var zeros = n - _buffer.AsSpan(0, n).TrimEnd((byte)0).Length;
        if (zeros == n)
        {
            (_held, _start, _end) = (_held + n, 0, 0);
            return;
        }
        (_lead, _held, _start, _end) = (_held, zeros, 0, n - zeros);
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
