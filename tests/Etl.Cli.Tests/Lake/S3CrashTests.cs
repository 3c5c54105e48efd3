// End to end on S3 (moto_server): kill -9 of a real etl process while it writes and inside its commit, then re-runs.
using Etl.Cli.Tests.TestSupport;
using Etl.Core.Tests.Storage;
using Etl.Lake;
using Etl.Storage;

namespace Etl.Cli.Tests.Lake;

[Collection(MotoCollection.Name)]
public sealed class S3CrashTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private const int OldRows = 1000;
    private const int NewRows = 4000;
    private readonly TestFolder _folder = new();
    private string _sink = "";

    private static IStorage S3 => StorageRegistry.For("s3://any");

    public async Task InitializeAsync()
    {
        _sink = await moto.NewBucketAsync() + "/lake/orders";
        _folder.WriteOrders("in/orders.csv", 0, OldRows);
        _folder.Save(LakeSpecs.Orders(sink: _sink, maxRowsPerFile: 1000));
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        _folder.WriteOrders("in/orders.csv", 0, NewRows);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    private async Task KillAtAsync(string point)
    {
        using var process = await EtlCli.StartPausedAtAsync(point, _folder.Root, "run", "orders.json");
        process.Kill9();
    }

    /// <summary>Downloads <paramref name="files"/> (relative to the sink) and returns DuckDB's count of their rows.</summary>
    private async Task<long> CountAsync(IEnumerable<string> files)
    {
        var local = new List<string>();
        foreach (var file in files)
        {
            var path = _folder.PathOf(Path.Combine("download", Guid.NewGuid().ToString("N"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, (await S3.ReadAllBytesAsync(S3.Combine(_sink, file), CancellationToken.None))!);
            local.Add(path);
        }
        return DuckDb.Count(DuckDb.ParquetFiles(local));
    }

    /// <summary>The files of the latest committed version, as a reader following the commit log sees them.</summary>
    private async Task<List<string>> CommittedAsync() =>
        [.. (await LakeFiles.ResolveAsync(_sink, [".parquet"])).Select(f => S3.RelativePath(_sink, f.Path))];

    private async Task<List<string>> ManifestFilesAsync() => [.. (await RunManifest.TryReadAsync(_sink))!.Files.Select(f => f.Path)];

    private async Task<List<string>> VisibleAsync() => [.. (await LakeCommitter.VisibleDataFilesAsync(_sink)).Select(f => S3.RelativePath(_sink, f.Path))];

    private async Task<bool> ExistsAsync(string relative) => await S3.StatAsync(S3.Combine(_sink, relative), CancellationToken.None) is not null;

    [Fact]
    public async Task Kill9_WhileWriting_LeavesTheCommittedDataAsItWas()
    {
        await KillAtAsync("write");

        Assert.Equal(OldRows, await CountAsync(await CommittedAsync()));
        Assert.Equal(OldRows, await CountAsync(await ManifestFilesAsync()));
        Assert.True(await ExistsAsync("_SUCCESS"));
    }

    [Fact]
    public async Task Kill9_AfterTheCommitLogEntry_ReadersOfTheLogSeeTheNewCommitAndOfTheManifestTheOld()
    {
        await KillAtAsync("commit-log");

        Assert.Equal(NewRows, await CountAsync(await CommittedAsync()));
        Assert.Equal(OldRows, await CountAsync(await ManifestFilesAsync()));
        Assert.False(await ExistsAsync("_SUCCESS"));
    }

    [Fact]
    public async Task Kill9_BeforeTheCommitLogEntry_RerunConvergesAndOrphansGoOnceTheKilledRunsLeaseExpired()
    {
        await KillAtAsync("commit-start");
        var killedRun = Assert.Single(await ListRunsAsync());

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        Assert.Equal(NewRows, await CountAsync(await CommittedAsync()));
        // The killed run's lease has not expired: its files are left alone, as it might still commit them.
        Assert.Contains(await VisibleAsync(), f => f.Contains($"part-{killedRun}-", StringComparison.Ordinal));
        await MotoServer.LeaveExpiredLeaseAsync(S3.Combine(_sink, $"_runs/{killedRun}/run.lease"));
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Equal((await ManifestFilesAsync()).Order(StringComparer.Ordinal), await VisibleAsync());
        Assert.Equal(NewRows, await CountAsync(await VisibleAsync()));
        Assert.Empty(await ListRunsAsync());
    }

    private async Task<List<string>> ListRunsAsync()
    {
        var runs = new List<string>();
        await foreach (var folder in S3.ListFoldersAsync(S3.Combine(_sink, "_runs"), CancellationToken.None))
        {
            runs.Add(S3.RelativePath(S3.Combine(_sink, "_runs"), folder));
        }
        return runs;
    }
}
