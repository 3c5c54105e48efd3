// A seekable read-only stream over one S3 object, fetched in ranged GETs: a Parquet footer costs one small request.
using Amazon.S3.Model;

namespace Etl.Storage;

internal sealed class S3ReadStream(S3Storage storage, S3Location location, long length) : Stream
{
    /// <summary>Bytes fetched per request when reading forward.</summary>
    public const int ChunkSize = 4 << 20;

    private byte[] _buffer = [];
    private long _bufferStart;
    private int _bufferLength;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (_position >= length || destination.Length == 0)
        {
            return 0;
        }
        if (_position < _bufferStart || _position >= _bufferStart + _bufferLength)
        {
            await FillAsync(destination.Length, cancellationToken);
        }
        var offset = (int)(_position - _bufferStart);
        var count = Math.Min(destination.Length, _bufferLength - offset);
        _buffer.AsMemory(offset, count).CopyTo(destination);
        _position += count;
        return count;
    }

    private async Task FillAsync(int wanted, CancellationToken cancellationToken)
    {
        var size = (int)Math.Min(Math.Max(wanted, ChunkSize), length - _position);
        var start = _position;
        _buffer = _buffer.Length >= size ? _buffer : new byte[size];
        _bufferLength = await storage.RetryAsync(async ct =>
        {
            using var response = await storage.Client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = location.Bucket,
                Key = location.Key,
                ByteRange = new ByteRange(start, start + size - 1),
            }, ct);
            await response.ResponseStream.ReadExactlyAsync(_buffer.AsMemory(0, size), ct);
            return size;
        }, cancellationToken);
        _bufferStart = start;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
