// LakeCommitter and the commit log, run against each storage: modes, races between runs, and cleaning after dead runs.
using System.Text;
using System.Text.Json;
using Etl.Core.Tests.Storage;
using Etl.Core.Tests.TestSupport;
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Core.Tests.Lake;

public abstract class LakeCommitterTests
{
    private string? _sink;

    /// <summary>A fresh empty sink folder of the storage under test.</summary>
    protected abstract Task<string> NewSinkAsync();

    /// <summary>Leaves the lease a run killed with kill -9 leaves (and that no process holds any more).</summary>
    protected abstract Task LeaveDeadLeaseAsync(string path);

    private string Sink => _sink!;

    private IStorage Storage => StorageRegistry.For(Sink);

    private async Task InitAsync() => _sink ??= await NewSinkAsync();

    private ParquetSinkSpec Spec(SinkMode mode, IReadOnlyList<string>? partitionBy = null) => new() { Path = Sink, Mode = mode, PartitionBy = partitionBy };

    private static RunManifest Manifest(string runId) => new()
    {
        RunId = runId,
        Spec = "t",
        SpecSha256 = "0",
        Parameters = new Dictionary<string, string>(),
        StartedAt = DateTimeOffset.UnixEpoch,
        EndedAt = DateTimeOffset.UnixEpoch,
        EtlVersion = "0",
        Mode = "overwrite",
        Counts = new ManifestCounts(0, 0, 0, 0, 0, 0, 0, 0, 0),
        Stages = [],
        Schema = [],
        Files = [],
    };

    private sealed record Staged(LakeCommitter Committer, LakeCommit Commit);

    /// <summary>Prepares a run and writes its files where its writers would (content = the relative path).</summary>
    private async Task<Staged> StageAsync(string runId, SinkMode mode, IReadOnlyList<string>? partitionBy, params string[] relatives)
    {
        await InitAsync();
        var spec = Spec(mode, partitionBy);
        var committer = new LakeCommitter(spec, runId);
        await committer.PrepareAsync();
        var files = new List<StagedFile>();
        foreach (var relative in relatives)
        {
            var path = LakeCommitter.StagedPath(Storage, committer.StagingFolder, relative);
            await WriteAsync(path, relative);
            var slash = relative.LastIndexOf('/');
            files.Add(new StagedFile(path, relative, slash < 0 ? null : relative[..slash], 1, relative.Length));
        }
        return new Staged(committer, new LakeCommit
        {
            RunId = runId,
            Mode = mode,
            Files = files,
            ReplacedPartitions = LakeCommit.ReplacedBy(spec, files),
            Manifest = Manifest(runId),
        });
    }

    private static async Task<CommitOutcome> CommitAsync(Staged staged)
    {
        try
        {
            return await staged.Committer.CommitAsync(staged.Commit, _ => Task.FromResult(42L));
        }
        finally
        {
            await staged.Committer.AbortAsync();
        }
    }

    private async Task CommitRunAsync(string runId, SinkMode mode, IReadOnlyList<string>? partitionBy, params string[] relatives) =>
        await CommitAsync(await StageAsync(runId, mode, partitionBy, relatives));

    private Task WriteAsync(string path, string content) => Storage.WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(content), CancellationToken.None);

    private async Task<bool> ExistsAsync(string relative) => await Storage.StatAsync(Storage.Combine(Sink, relative), CancellationToken.None) is not null;

    private async Task<List<string>> VisibleAsync() =>
        [.. (await LakeCommitter.VisibleDataFilesAsync(Sink)).Select(f => Storage.RelativePath(Sink, f.Path))];

    private async Task<List<string>> ManifestPathsAsync() => [.. (await RunManifest.TryReadAsync(Sink))!.Files.Select(f => f.Path).Order(StringComparer.Ordinal)];

    private async Task<List<string>> CommittedPathsAsync() =>
        [.. (await LakeFiles.ResolveAsync(Sink, [])).Select(f => Storage.RelativePath(Sink, f.Path))];

    [Fact]
    public async Task Commit_Overwrite_ReplacesThePreviousFiles()
    {
        await CommitRunAsync("r1", SinkMode.Overwrite, null, "part-r1-0.parquet");

        await CommitRunAsync("r2", SinkMode.Overwrite, null, "part-r2-0.parquet");

        Assert.Equal(["part-r2-0.parquet"], await VisibleAsync());
        Assert.Equal(["part-r2-0.parquet"], await ManifestPathsAsync());
    }

    [Fact]
    public async Task Commit_OverwriteWithoutManifest_ReplacesEveryVisibleFile()
    {
        await InitAsync();
        await WriteAsync(Storage.Combine(Sink, "old.parquet"), "x");
        await WriteAsync(Storage.Combine(Sink, "_keep.txt"), "x");

        await CommitRunAsync("r1", SinkMode.Overwrite, null, "part-r1-0.parquet");

        Assert.Equal(["part-r1-0.parquet"], await VisibleAsync());
        Assert.True(await ExistsAsync("_keep.txt"));
    }

    [Fact]
    public async Task Commit_OverwritePartitioned_ReplacesOnlyWrittenPartitions()
    {
        await CommitRunAsync("r1", SinkMode.Overwrite, ["c"], "c=DE/part-r1-0.parquet", "c=FR/part-r1-1.parquet");

        await CommitRunAsync("r2", SinkMode.Overwrite, ["c"], "c=FR/part-r2-0.parquet");

        Assert.Equal(["c=DE/part-r1-0.parquet", "c=FR/part-r2-0.parquet"], await VisibleAsync());
        Assert.Equal(["c=DE/part-r1-0.parquet", "c=FR/part-r2-0.parquet"], await ManifestPathsAsync());
    }

    [Fact]
    public async Task Commit_Append_KeepsThePreviousFiles()
    {
        await CommitRunAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");

        await CommitRunAsync("r2", SinkMode.Append, null, "part-r2-0.parquet");

        Assert.Equal(["part-r1-0.parquet", "part-r2-0.parquet"], await ManifestPathsAsync());
    }

    [Fact]
    public async Task Commit_AppendWithoutManifest_TakesOverTheFilesAlreadyThereWithTheirRows()
    {
        await InitAsync();
        await WriteAsync(Storage.Combine(Sink, "old.parquet"), "x");

        await CommitRunAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");

        Assert.Equal(42, (await RunManifest.TryReadAsync(Sink))!.Files.Single(f => f.Path == "old.parquet").Rows);
    }

    [Fact]
    public async Task Commit_OnAManifestOfAnEarlierEtl_KeepsItsFilesOnAppend()
    {
        await InitAsync();
        await WriteAsync(Storage.Combine(Sink, "part-old-0.parquet"), "x");
        await WriteAsync(Storage.Combine(Sink, LakeCommitter.ManifestName), JsonSerializer.Serialize(Manifest("old") with { Files = [new ManifestFile("part-old-0.parquet", null, 7, 1)] }, RunManifest.JsonOptions));

        await CommitRunAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");

        Assert.Equal(["part-old-0.parquet", "part-r1-0.parquet"], await CommittedPathsAsync());
    }

    [Fact]
    public async Task Commit_OnAManifestOfAnEarlierEtlListingAMissingFile_LeavesItOutOfTheNewManifest()
    {
        await InitAsync();
        await WriteAsync(Storage.Combine(Sink, "part-old-0.parquet"), "x");
        var files = new[] { new ManifestFile("part-gone-0.parquet", null, 7, 1), new ManifestFile("part-old-0.parquet", null, 7, 1) };
        await WriteAsync(Storage.Combine(Sink, LakeCommitter.ManifestName), JsonSerializer.Serialize(Manifest("old") with { Files = files }, RunManifest.JsonOptions));

        await CommitRunAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");

        Assert.Equal(["part-old-0.parquet", "part-r1-0.parquet"], await ManifestPathsAsync());
    }

    [Fact]
    public async Task Prepare_ErrorIfExistsOnData_Throws()
    {
        await CommitRunAsync("r1", SinkMode.Overwrite, null, "part-r1-0.parquet");
        using var committer = new LakeCommitter(Spec(SinkMode.ErrorIfExists), "r2");

        var e = await Assert.ThrowsAsync<IOException>(() => committer.PrepareAsync());

        Assert.Equal($"sink '{Sink}' already holds data and its mode is errorIfExists", e.Message);
    }

    [Fact]
    public async Task Commit_Success_WritesLogManifestAndSuccessAndLeavesNoBookkeeping()
    {
        await CommitRunAsync("r1", SinkMode.Overwrite, null, "part-r1-0.parquet");

        Assert.True(await ExistsAsync("_SUCCESS"));
        Assert.True(await ExistsAsync("_log/00000000000000000001.json"));
        Assert.Equal(("r1", 1L), ((await RunManifest.TryReadAsync(Sink))!.RunId, (await RunManifest.TryReadAsync(Sink))!.Version!.Value));
        Assert.False(await Storage.FolderExistsAsync(Storage.Combine(Sink, "_tmp"), CancellationToken.None));
        Assert.False(await Storage.FolderExistsAsync(Storage.Combine(Sink, "_runs"), CancellationToken.None));
    }

    [Fact]
    public async Task Commit_Manifest_IsTheOneTheLogDerives()
    {
        await CommitRunAsync("r1", SinkMode.Overwrite, ["country"], "country=FR/part-r1-0.parquet", "country=DE/part-r1-1.parquet");
        await CommitRunAsync("r2", SinkMode.Overwrite, ["country"], "country=FR/part-r2-0.parquet");
        var manifest = Storage.Combine(Sink, LakeCommitter.ManifestName);
        var committed = await Storage.ReadAllBytesAsync(manifest, CancellationToken.None);
        await Storage.DeleteAsync(manifest, CancellationToken.None);

        await LakeCommitter.DeriveAsync(Storage, Sink, CancellationToken.None);

        Assert.Equal(Encoding.UTF8.GetString(committed!), Encoding.UTF8.GetString((await Storage.ReadAllBytesAsync(manifest, CancellationToken.None))!));
    }

    [Fact]
    public async Task Commit_RacingAppends_BothLand()
    {
        var a = await StageAsync("ra", SinkMode.Append, null, "part-ra-0.parquet", "part-ra-1.parquet");
        var b = await StageAsync("rb", SinkMode.Append, null, "part-rb-0.parquet");

        var outcomes = await Task.WhenAll(CommitAsync(a), CommitAsync(b));

        Assert.Equal([1L, 2L], outcomes.Select(o => o.Version).Order());
        Assert.Equal(["part-ra-0.parquet", "part-ra-1.parquet", "part-rb-0.parquet"], await CommittedPathsAsync());
        Assert.Equal(await CommittedPathsAsync(), await ManifestPathsAsync());
    }

    [Fact]
    public async Task Commit_OverwriteAfterAConcurrentOverwrite_ThrowsNamingTheWinnerAndRemovesItsFiles()
    {
        var a = await StageAsync("ra", SinkMode.Overwrite, null, "part-ra-0.parquet");
        var b = await StageAsync("rb", SinkMode.Overwrite, null, "part-rb-0.parquet");
        await CommitAsync(a);

        var e = await Assert.ThrowsAsync<CommitConflictException>(() => CommitAsync(b));

        Assert.StartsWith($"sink '{Sink}': run ra committed version 1 (overwrite, at ", e.Message);
        Assert.EndsWith("while run rb was writing, and this run's overwrite would have replaced its data unseen; nothing of run rb was committed", e.Message);
        Assert.Equal(["part-ra-0.parquet"], await VisibleAsync());
        Assert.Equal(["part-ra-0.parquet"], await CommittedPathsAsync());
    }

    [Fact]
    public async Task Commit_RacingOverwrites_OneWinsWhole()
    {
        var a = await StageAsync("ra", SinkMode.Overwrite, null, "part-ra-0.parquet", "part-ra-1.parquet");
        var b = await StageAsync("rb", SinkMode.Overwrite, null, "part-rb-0.parquet", "part-rb-1.parquet");

        var results = await Task.WhenAll(Outcome(CommitAsync(a)), Outcome(CommitAsync(b)));

        Assert.Single(results.OfType<CommitOutcome>());
        Assert.Single(results.OfType<CommitConflictException>());
        var won = results[0] is CommitOutcome ? "ra" : "rb";
        Assert.Equal([$"part-{won}-0.parquet", $"part-{won}-1.parquet"], await CommittedPathsAsync());
        Assert.Equal(await CommittedPathsAsync(), await VisibleAsync());
    }

    private static async Task<object?> Outcome(Task<CommitOutcome> commit)
    {
        try
        {
            return await commit;
        }
        catch (CommitConflictException e)
        {
            return e;
        }
    }

    [Fact]
    public async Task Commit_ConcurrentOverwritesOfOtherPartitions_BothLand()
    {
        var a = await StageAsync("ra", SinkMode.Overwrite, ["c"], "c=DE/part-ra-0.parquet");
        var b = await StageAsync("rb", SinkMode.Overwrite, ["c"], "c=FR/part-rb-0.parquet");

        await CommitAsync(a);
        await CommitAsync(b);

        Assert.Equal(["c=DE/part-ra-0.parquet", "c=FR/part-rb-0.parquet"], await CommittedPathsAsync());
    }

    [Fact]
    public async Task Commit_IncrementalAfterAnotherRunAdvancedTheCursor_Conflicts()
    {
        var a = await StageAsync("ra", SinkMode.Append, null, "part-ra-0.parquet");
        var b = await StageAsync("rb", SinkMode.Append, null, "part-rb-0.parquet");
        var state = new IncrementalState("updated_at", "2026-01-02", "x", DateTimeOffset.UnixEpoch);
        await CommitAsync(a with { Commit = a.Commit with { State = state with { RunId = "ra" } } });

        var e = await Assert.ThrowsAsync<CommitConflictException>(() => CommitAsync(b with { Commit = b.Commit with { State = state with { RunId = "rb" } } }));

        Assert.Contains("it advanced the incremental cursor this run started from", e.Message, StringComparison.Ordinal);
        Assert.Equal("ra", (await IncrementalState.TryReadAsync(Sink))!.RunId);
    }

    [Fact]
    public async Task Commit_RepeatedForTheSameRun_IsANoOp()
    {
        var staged = await StageAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");
        await CommitAsync(staged);
        var again = new LakeCommitter(Spec(SinkMode.Append), "r1");
        await again.PrepareAsync();

        var outcome = await CommitAsync(new Staged(again, staged.Commit with { BaseVersion = 0 }));

        Assert.Equal(new CommitOutcome(1, AlreadyCommitted: true), outcome);
        Assert.Equal(["part-r1-0.parquet"], await CommittedPathsAsync());
    }

    [Fact]
    public async Task Commit_FileOutsideTheSink_IsRefused()
    {
        var staged = await StageAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");
        var outside = staged.Commit with { Files = [staged.Commit.Files[0] with { RelativePath = "../outside.parquet" }] };

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => CommitAsync(staged with { Commit = outside }));

        Assert.Equal($"commit names '../outside.parquet', which is outside '{Sink}'", e.Message);
    }

    [Fact]
    public async Task Abort_BeforeCommit_RemovesTheRunsFilesAndLease()
    {
        await CommitRunAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");
        var staged = await StageAsync("r2", SinkMode.Append, null, "part-r2-0.parquet");

        await staged.Committer.AbortAsync();

        Assert.Equal(["part-r1-0.parquet"], await VisibleAsync());
        Assert.False(await Storage.FolderExistsAsync(Storage.Combine(Sink, "_runs"), CancellationToken.None));
        Assert.False(await Storage.FolderExistsAsync(Storage.Combine(Sink, "_tmp"), CancellationToken.None));
    }

    [Fact]
    public async Task Prepare_FilesOfAKilledRun_AreCleaned()
    {
        await CommitRunAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");
        var killed = await StageAsync("r2", SinkMode.Append, null, "c=FR/part-r2-0.parquet");
        await Storage.WriteAllBytesAsync(Storage.Combine(Sink, "c=FR/part-r2-1.parquet"), Encoding.UTF8.GetBytes("published"), CancellationToken.None);
        killed.Committer.Dispose();
        await LeaveDeadLeaseAsync(Storage.Combine(Sink, "_runs/r2/run.lease"));

        await CommitRunAsync("r3", SinkMode.Append, null, "part-r3-0.parquet");

        Assert.Equal(["part-r1-0.parquet", "part-r3-0.parquet"], await VisibleAsync());
        Assert.False(await Storage.FolderExistsAsync(Storage.Combine(Sink, "_runs"), CancellationToken.None));
        Assert.False(await Storage.FolderExistsAsync(Storage.Combine(Sink, "_tmp"), CancellationToken.None));
    }

    [Fact]
    public async Task Prepare_FilesOfALiveRun_AreKept()
    {
        var live = await StageAsync("r1", SinkMode.Append, null, "part-r1-0.parquet");

        await CommitRunAsync("r2", SinkMode.Append, null, "part-r2-0.parquet");
        await CommitAsync(live);

        Assert.Equal(["part-r1-0.parquet", "part-r2-0.parquet"], await CommittedPathsAsync());
    }

    [Fact]
    public async Task Prepare_CommittedButKilledBeforeTheManifest_DerivesItFromTheLog()
    {
        await CommitRunAsync("r1", SinkMode.Overwrite, null, "part-r1-0.parquet");
        var staged = await StageAsync("r2", SinkMode.Overwrite, null, "part-r2-0.parquet");
        staged.Committer.Dispose();
        var killedAt = new LakeCommitter(Spec(SinkMode.Overwrite), "r2", (point, _) => point == "commit-log" ? throw new OperationCanceledException("killed") : Task.CompletedTask);
        await killedAt.PrepareAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => killedAt.CommitAsync(staged.Commit));
        killedAt.Dispose();
        await LeaveDeadLeaseAsync(Storage.Combine(Sink, "_runs/r2/run.lease"));
        Assert.Equal("r1", (await RunManifest.TryReadAsync(Sink))!.RunId);
        Assert.Equal(["part-r2-0.parquet"], await CommittedPathsAsync());

        using var next = new LakeCommitter(Spec(SinkMode.Append), "r3");
        await next.PrepareAsync();

        Assert.Equal(["part-r2-0.parquet"], await ManifestPathsAsync());
        Assert.Equal(["part-r2-0.parquet"], await VisibleAsync());
        Assert.True(await ExistsAsync("_SUCCESS"));
    }
}

public sealed class LocalLakeCommitterTests : LakeCommitterTests, IDisposable
{
    private readonly TestFolder _temp = new();

    protected override Task<string> NewSinkAsync() => Task.FromResult(_temp.PathOf("lake/orders"));

    protected override Task LeaveDeadLeaseAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
        return Task.CompletedTask;
    }

    public void Dispose() => _temp.Dispose();
}

[Collection(MotoCollection.Name)]
public sealed class S3LakeCommitterTests(MotoServer moto) : LakeCommitterTests
{
    protected override async Task<string> NewSinkAsync() => await moto.NewBucketAsync() + "/lake/orders";

    protected override Task LeaveDeadLeaseAsync(string path) => MotoServer.LeaveExpiredLeaseAsync(path);
}
