// Amazon S3 (and S3-compatible stores) as a storage, configured the standard AWS way: AWS_ENDPOINT_URL_S3 /
// AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, AWS_PROFILE or the
// SDK's credential chain. A non-AWS endpoint uses path-style addressing.
using System.Net;
using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Polly;
using Polly.Retry;

namespace Etl.Storage;

public sealed class S3Storage : IStorage
{
    private static readonly HashSet<string> TransientCodes = ["SlowDown", "InternalError", "RequestTimeout", "ServiceUnavailable", "OperationAborted"];

    private readonly Lazy<IAmazonS3> _client;
    private readonly ResiliencePipeline _retry;

    public S3Storage(Func<IAmazonS3>? client = null)
    {
        _client = new Lazy<IAmazonS3>(client ?? CreateClient);
        // Transient S3 errors (503 SlowDown, 500, timeouts, dropped connections) are retried here, with backoff and
        // jitter; the SDK's own retries are off so one policy decides.
        _retry = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<AmazonS3Exception>(IsTransient).Handle<HttpRequestException>()
                .Handle<TimeoutException>().Handle<IOException>(),
            MaxRetryAttempts = 5,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
        }).Build();
    }

    public string Scheme => "s3";

    internal IAmazonS3 Client => _client.Value;

    private static AmazonS3Client CreateClient()
    {
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        };
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION");
        if (!string.IsNullOrEmpty(endpoint))
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (!string.IsNullOrEmpty(region))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return new AmazonS3Client(config);
    }

    private static bool IsTransient(AmazonS3Exception e) =>
        (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout || TransientCodes.Contains(e.ErrorCode ?? "");

    internal async Task<T> RetryAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(async ct => await call(ct), cancellationToken);

    internal async Task RetryAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(async ct => await call(ct), cancellationToken);

    public string FullPath(string path) => S3Location.Parse(path).ToString().TrimEnd('/');

    public string Combine(string folder, string relative) => folder.TrimEnd('/') + "/" + relative.TrimStart('/');

    public string RelativePath(string folder, string path)
    {
        var root = folder.TrimEnd('/') + "/";
        return path.StartsWith(root, StringComparison.Ordinal) ? path[root.Length..] : path;
    }

    public string? Parent(string path)
    {
        var location = S3Location.Parse(path);
        var slash = location.Key.LastIndexOf('/');
        return location.Key.Length == 0 ? null : $"{S3Location.Prefix}{location.Bucket}/{(slash < 0 ? "" : location.Key[..slash])}".TrimEnd('/');
    }

    public async Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken)
    {
        var location = S3Location.Parse(path);
        if (location.Key.Length == 0)
        {
            return null;
        }
        try
        {
            var head = await RetryAsync(ct => Client.GetObjectMetadataAsync(location.Bucket, location.Key, ct), cancellationToken);
            return new StorageEntry(path, head.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> FolderExistsAsync(string path, CancellationToken cancellationToken)
    {
        var location = S3Location.Parse(path);
        var page = await RetryAsync(ct => Client.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.FolderPrefix, MaxKeys = 1 }, ct), cancellationToken);
        return page.KeyCount > 0;
    }

    public async IAsyncEnumerable<StorageEntry> ListAsync(string folder, bool recursive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var location = S3Location.Parse(folder);
        await foreach (var page in PagesAsync(location, recursive ? null : "/", cancellationToken))
        {
            foreach (var item in page.S3Objects ?? [])
            {
                if (!item.Key.EndsWith('/'))
                {
                    yield return new StorageEntry(Combine(folder, item.Key[location.FolderPrefix.Length..]), item.Size ?? 0);
                }
            }
        }
    }

    public async IAsyncEnumerable<string> ListFoldersAsync(string folder, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var location = S3Location.Parse(folder);
        await foreach (var page in PagesAsync(location, "/", cancellationToken))
        {
            foreach (var prefix in page.CommonPrefixes ?? [])
            {
                yield return Combine(folder, prefix[location.FolderPrefix.Length..].TrimEnd('/'));
            }
        }
    }

    /// <summary>Every page of a listing under the folder's prefix (S3 returns at most 1000 keys a page).</summary>
    private async IAsyncEnumerable<ListObjectsV2Response> PagesAsync(S3Location location, string? delimiter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.FolderPrefix, Delimiter = delimiter, ContinuationToken = token };
            var page = await RetryAsync(ct => Client.ListObjectsV2Async(request, ct), cancellationToken);
            yield return page;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var entry = await StatAsync(path, cancellationToken) ?? throw new FileNotFoundException($"Could not find '{path}'.", path);
        return new S3ReadStream(this, S3Location.Parse(path), entry.Length);
    }

    public Task<Stream> CreateAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new S3WriteStream(this, S3Location.Parse(path)));

    public async Task<byte[]?> ReadAllBytesAsync(string path, CancellationToken cancellationToken)
    {
        var location = S3Location.Parse(path);
        try
        {
            return await RetryAsync(async ct =>
            {
                using var response = await Client.GetObjectAsync(location.Bucket, location.Key, ct);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, ct);
                return buffer.ToArray();
            }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        PutAsync(S3Location.Parse(path), content.ToArray(), ifNoneMatch: false, cancellationToken);

    public async Task<bool> TryCreateNewAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await PutAsync(S3Location.Parse(path), content.ToArray(), ifNoneMatch: true, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>One PUT (atomic on S3: readers see the old object or the new); with <paramref name="ifNoneMatch"/>,
    /// only when no object has the key.</summary>
    internal Task PutAsync(S3Location location, byte[] content, bool ifNoneMatch, CancellationToken cancellationToken) =>
        RetryAsync(ct => Client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = location.Bucket,
            Key = location.Key,
            InputStream = new MemoryStream(content, writable: false),
            IfNoneMatch = ifNoneMatch ? "*" : null,
        }, ct), cancellationToken);

    public async Task MoveAsync(string from, string to, CancellationToken cancellationToken)
    {
        // S3 has no rename: a server-side copy, then the delete (a crash between the two leaves both). The lake
        // never moves on S3: its files are written straight to their final keys.
        var (source, target) = (S3Location.Parse(from), S3Location.Parse(to));
        await RetryAsync(ct => Client.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = source.Bucket,
            SourceKey = source.Key,
            DestinationBucket = target.Bucket,
            DestinationKey = target.Key,
        }, ct), cancellationToken);
        await DeleteAsync(from, cancellationToken);
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var location = S3Location.Parse(path);
        return RetryAsync(ct => Client.DeleteObjectAsync(location.Bucket, location.Key, ct), cancellationToken);
    }

    public async Task DeleteFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var location = S3Location.Parse(folder);
        var keys = new List<KeyVersion>();
        await foreach (var entry in ListAsync(folder, recursive: true, cancellationToken))
        {
            keys.Add(new KeyVersion { Key = S3Location.Parse(entry.Path).Key });
        }
        foreach (var chunk in keys.Chunk(1000))
        {
            await RetryAsync(ct => Client.DeleteObjectsAsync(new DeleteObjectsRequest { BucketName = location.Bucket, Objects = [.. chunk] }, ct), cancellationToken);
        }
    }

    /// <summary>Folders are only key prefixes on S3: an empty one does not exist.</summary>
    public Task DeleteFolderIfEmptyAsync(string folder, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IDisposable> LockAsync(string path, CancellationToken cancellationToken) => S3Lease.AcquireAsync(this, path, cancellationToken);
}
