// An exclusive lock on S3, which has no locks: an object created only if absent, renewed while held, taken over once
// it has expired (its holder died), deleted on release.
using System.Text.Json;

namespace Etl.Storage;

internal sealed class S3Lease : IDisposable
{
    /// <summary>How long a lease lasts without renewal: a killed holder blocks the folder at most this long.</summary>
    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(2);

    /// <summary>How often a live holder renews its lease.</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);

    private readonly S3Storage _storage;
    private readonly string _path;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly Timer _renew;
    private bool _released;

    private S3Lease(S3Storage storage, string path)
    {
        (_storage, _path) = (storage, path);
        _renew = new Timer(_ => Renew(), null, RenewEvery, RenewEvery);
    }

    private sealed record LeaseContent(string Owner, string Host, int Pid, DateTimeOffset Expires);

    public static async Task<IDisposable> AcquireAsync(S3Storage storage, string path, CancellationToken cancellationToken)
    {
        var lease = new S3Lease(storage, path);
        try
        {
            if (await storage.TryCreateNewAsync(path, lease.Content(), cancellationToken))
            {
                return lease;
            }
            var held = await ReadAsync(storage, path, cancellationToken);
            if (held is not null && held.Expires > DateTimeOffset.UtcNow)
            {
                throw new StorageLockedException(path);
            }
            // Expired (or unreadable): its holder is gone. Take it over once; a competitor doing the same wins or loses
            // the create below, never both.
            await storage.DeleteAsync(path, cancellationToken);
            return await storage.TryCreateNewAsync(path, lease.Content(), cancellationToken) ? lease : throw new StorageLockedException(path);
        }
        catch
        {
            lease._renew.Dispose();
            throw;
        }
    }

    private byte[] Content() => JsonSerializer.SerializeToUtf8Bytes(
        new LeaseContent(_owner, Environment.MachineName, Environment.ProcessId, DateTimeOffset.UtcNow + Duration));

    private static async Task<LeaseContent?> ReadAsync(S3Storage storage, string path, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await storage.ReadAllBytesAsync(path, cancellationToken);
            return bytes is null ? null : JsonSerializer.Deserialize<LeaseContent>(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Renew()
    {
        try
        {
            _storage.WriteAllBytesAsync(_path, Content(), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or Amazon.Runtime.AmazonServiceException or HttpRequestException)
        {
            // The next renewal tries again; the lease lasts four renewals.
        }
    }

    public void Dispose()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        _renew.Dispose();
        if (ReadAsync(_storage, _path, CancellationToken.None).GetAwaiter().GetResult()?.Owner == _owner)
        {
            _storage.DeleteAsync(_path, CancellationToken.None).GetAwaiter().GetResult();
        }
    }
}
