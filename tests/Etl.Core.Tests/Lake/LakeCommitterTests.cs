// LakeCommitter and CommitJournal: the journal decides, applying is idempotent, recovery rolls forward or discards.
using Etl.Core.Tests.TestSupport;
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Core.Tests.Lake;

public sealed class LakeCommitterTests : IDisposable
{
    private readonly TestFolder _temp = new();
    private readonly string _sink;

    public LakeCommitterTests() => _sink = _temp.Root;

    public void Dispose() => _temp.Dispose();

    private ParquetSinkSpec Spec(SinkMode mode = SinkMode.Overwrite, IReadOnlyList<string>? partitionBy = null) =>
        new() { Path = _sink, Mode = mode, PartitionBy = partitionBy };

    private static RunManifest Manifest(string runId, IReadOnlyList<ManifestFile> files) => new()
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
        Files = files,
    };

    /// <summary>Prepares a committer and stages files with the given relative paths (content = the path).</summary>
    private async Task<(LakeCommitter Committer, List<StagedFile> Files)> Stage(string runId, SinkMode mode, IReadOnlyList<string>? partitionBy, params string[] relatives)
    {
        var committer = new LakeCommitter(Spec(mode, partitionBy), runId);
        await committer.PrepareAsync();
        var files = new List<StagedFile>();
        foreach (var relative in relatives)
        {
            var staged = Path.Combine(committer.StagingFolder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            File.WriteAllText(staged, relative);
            var folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
            files.Add(new StagedFile(staged, relative, folder.Length == 0 ? null : folder, 1, relative.Length));
        }
        return (committer, files);
    }

    private async Task CommitRun(string runId, SinkMode mode, IReadOnlyList<string>? partitionBy, params string[] relatives)
    {
        var (committer, files) = await Stage(runId, mode, partitionBy, relatives);
        await committer.CommitAsync(files, all => Manifest(runId, all), _ => Task.FromResult(1L));
    }

    private async Task<List<string>> Visible() => [.. (await LakeCommitter.VisibleDataFilesAsync(_sink)).Select(f => Path.GetRelativePath(_sink, f.Path).Replace('\\', '/'))];

    private async Task<List<string>> ManifestPaths() => [.. (await RunManifest.TryReadAsync(_sink))!.Files.Select(f => f.Path).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Commit_Overwrite_ReplacesThePreviousFiles()
    {
        await CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        await CommitRun("r2", SinkMode.Overwrite, null, "part-r2.parquet");

        Assert.Equal(["part-r2.parquet"], await Visible());
        Assert.Equal(["part-r2.parquet"], await ManifestPaths());
    }

    [Fact]
    public async Task Commit_OverwriteWithoutManifest_ReplacesEveryVisibleFile()
    {
        File.WriteAllText(Path.Combine(_sink, "old.parquet"), "x");
        File.WriteAllText(Path.Combine(_sink, "_keep.txt"), "x");

        await CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        Assert.Equal(["part-r1.parquet"], await Visible());
        Assert.True(File.Exists(Path.Combine(_sink, "_keep.txt")));
    }

    [Fact]
    public async Task Commit_OverwritePartitioned_ReplacesOnlyWrittenPartitions()
    {
        await CommitRun("r1", SinkMode.Overwrite, ["c"], "c=DE/part-r1.parquet", "c=FR/part-r1.parquet");

        await CommitRun("r2", SinkMode.Overwrite, ["c"], "c=FR/part-r2.parquet");

        Assert.Equal(["c=DE/part-r1.parquet", "c=FR/part-r2.parquet"], await Visible());
        Assert.Equal(["c=DE/part-r1.parquet", "c=FR/part-r2.parquet"], await ManifestPaths());
    }

    [Fact]
    public async Task Commit_Append_KeepsThePreviousFiles()
    {
        await CommitRun("r1", SinkMode.Append, null, "part-r1.parquet");

        await CommitRun("r2", SinkMode.Append, null, "part-r2.parquet");

        Assert.Equal(["part-r1.parquet", "part-r2.parquet"], await ManifestPaths());
    }

    [Fact]
    public async Task Commit_AppendWithoutManifest_ListsTheFilesAlreadyThereWithTheirRows()
    {
        File.WriteAllText(Path.Combine(_sink, "old.parquet"), "x");
        var (committer, files) = await Stage("r1", SinkMode.Append, null, "part-r1.parquet");

        await committer.CommitAsync(files, all => Manifest("r1", all), _ => Task.FromResult(42L));

        Assert.Equal(42, (await RunManifest.TryReadAsync(_sink))!.Files.Single(f => f.Path == "old.parquet").Rows);
    }

    [Fact]
    public async Task Prepare_ErrorIfExistsOnData_Throws()
    {
        await CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        using var committer = new LakeCommitter(Spec(SinkMode.ErrorIfExists), "r2");

        var e = await Assert.ThrowsAsync<IOException>(() => committer.PrepareAsync());

        Assert.Equal($"sink '{_sink}' already holds data and its mode is errorIfExists", e.Message);
    }

    [Fact]
    public async Task Commit_Success_WritesManifestAndSuccessAndRemovesStaging()
    {
        await CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        Assert.True(File.Exists(Path.Combine(_sink, "_SUCCESS")));
        Assert.Equal("r1", (await RunManifest.TryReadAsync(_sink))!.RunId);
        Assert.False(Directory.Exists(Path.Combine(_sink, "_tmp")));
    }

    [Fact]
    public async Task Prepare_StagingWithoutJournal_IsDiscarded()
    {
        await CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        var (crashed, _) = await Stage("r2", SinkMode.Overwrite, null, "part-r2.parquet");
        crashed.Dispose(); // as if killed before deciding

        await CommitRun("r3", SinkMode.Append, null, "part-r3.parquet");

        Assert.Equal(["part-r1.parquet", "part-r3.parquet"], await Visible());
        Assert.False(Directory.Exists(Path.Combine(_sink, "_tmp")));
    }

    [Fact]
    public async Task Prepare_DecidedButUnappliedCommit_IsRolledForward()
    {
        await CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        var (crashed, files) = await Stage("r2", SinkMode.Overwrite, null, "part-r2a.parquet", "part-r2b.parquet");
        await crashed.DecideAsync(await crashed.PlanAsync(files, all => Manifest("r2", all), _ => Task.FromResult(1L)));
        crashed.Dispose(); // killed right after the journal was written

        using var next = new LakeCommitter(Spec(), "r3");
        await next.PrepareAsync();

        Assert.Equal(["part-r2a.parquet", "part-r2b.parquet"], await Visible());
        Assert.Equal("r2", (await RunManifest.TryReadAsync(_sink))!.RunId);
        Assert.True(File.Exists(Path.Combine(_sink, "_SUCCESS")));
    }

    [Fact]
    public async Task JournalApply_HalfAppliedThenAppliedAgain_EndsInTheNewState()
    {
        await CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        var (committer, files) = await Stage("r2", SinkMode.Overwrite, null, "part-r2a.parquet", "part-r2b.parquet");
        var journal = await committer.PlanAsync(files, all => Manifest("r2", all), _ => Task.FromResult(1L));
        await committer.DecideAsync(journal);
        // A crash between renames: one file moved, the other still staged.
        File.Move(files[0].StagingPath, Path.Combine(_sink, "part-r2a.parquet"));

        await journal.ApplyAsync(_sink, committer.StagingFolder, Checkpoints.None, CancellationToken.None);
        await journal.ApplyAsync(_sink, committer.StagingFolder, Checkpoints.None, CancellationToken.None);

        Assert.Equal(["part-r2a.parquet", "part-r2b.parquet"], await Visible());
        Assert.Equal(["part-r2a.parquet", "part-r2b.parquet"], await ManifestPaths());
        committer.Dispose();
    }

    [Fact]
    public async Task JournalApply_PathLeavingTheSink_IsRefused()
    {
        var journal = new CommitJournal { RunId = "r", Moves = [], Deletes = ["../outside.parquet"], Writes = [] };

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => journal.ApplyAsync(_sink, Path.Combine(_sink, "_tmp", "r"), Checkpoints.None, CancellationToken.None));

        Assert.Equal($"commit journal names '../outside.parquet', which is outside '{_sink}'", e.Message);
    }

    [Fact]
    public async Task Abort_BeforeDecision_RemovesStagingAndReleasesTheLock()
    {
        var (committer, _) = await Stage("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        await committer.AbortAsync();

        Assert.False(Directory.Exists(Path.Combine(_sink, "_tmp")));
        using var next = await SinkLock.AcquireAsync(_sink, "r2", DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task TryRecoverForReading_DecidedCommit_RollsItForward()
    {
        var (crashed, files) = await Stage("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        await crashed.DecideAsync(await crashed.PlanAsync(files, all => Manifest("r1", all), _ => Task.FromResult(1L)));
        crashed.Dispose();

        Assert.True(await LakeCommitter.TryRecoverForReadingAsync(_sink));

        Assert.Equal(["part-r1.parquet"], await ManifestPaths());
    }
}
