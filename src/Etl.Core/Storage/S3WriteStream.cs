// A write-only stream that uploads an S3 object in parts: memory holds one part, whatever the size of the object.
using Amazon.S3.Model;

namespace Etl.Storage;

internal sealed class S3WriteStream(S3Storage storage, S3Location location) : Stream
{
    /// <summary>Bytes per uploaded part (S3's minimum part is 5 MiB).</summary>
    public const int PartSize = 8 << 20;

    private readonly MemoryStream _part = new();
    private readonly List<PartETag> _parts = [];
    private string? _uploadId;
    private long _written;
    private bool _closed;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_closed;
    public override long Length => _written;

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (source.Length > 0)
        {
            var take = (int)Math.Min(source.Length, PartSize - _part.Length);
            _part.Write(source.Span[..take]);
            source = source[take..];
            _written += take;
            if (_part.Length == PartSize)
            {
                await UploadPartAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    private async Task UploadPartAsync(CancellationToken cancellationToken)
    {
        _uploadId ??= await storage.RetryAsync(async ct => (await storage.Client.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key }, ct)).UploadId, cancellationToken);
        var bytes = _part.ToArray();
        var number = _parts.Count + 1;
        var etag = await storage.RetryAsync(async ct => (await storage.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = location.Bucket,
            Key = location.Key,
            UploadId = _uploadId,
            PartNumber = number,
            InputStream = new MemoryStream(bytes, writable: false),
        }, ct)).ETag, cancellationToken);
        _parts.Add(new PartETag(number, etag));
        _part.SetLength(0);
    }

    /// <summary>Completes the object: one PUT when it fits in a part, else the last part and the multipart completion.</summary>
    private async Task CloseAsync()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        if (_uploadId is null)
        {
            await storage.PutAsync(location, _part.ToArray(), ifNoneMatch: false, CancellationToken.None);
            return;
        }
        try
        {
            if (_part.Length > 0)
            {
                await UploadPartAsync(CancellationToken.None);
            }
            await storage.RetryAsync(ct => storage.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = location.Bucket,
                Key = location.Key,
                UploadId = _uploadId,
                PartETags = _parts,
            }, ct), CancellationToken.None);
        }
        catch
        {
            await storage.Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = location.Bucket, Key = location.Key, UploadId = _uploadId });
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseAsync().GetAwaiter().GetResult();
        }
        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
