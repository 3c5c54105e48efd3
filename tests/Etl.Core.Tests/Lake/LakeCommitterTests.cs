// LakeCommitter and CommitJournal: the journal decides, applying is idempotent, recovery rolls forward or discards.
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Core.Tests.Lake;

public sealed class LakeCommitterTests : IDisposable
{
    private readonly string _sink = Directory.CreateTempSubdirectory("etl-commit-").FullName;

    public void Dispose() => Directory.Delete(_sink, recursive: true);

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
    private (LakeCommitter Committer, List<StagedFile> Files) Stage(string runId, SinkMode mode, IReadOnlyList<string>? partitionBy, params string[] relatives)
    {
        var committer = new LakeCommitter(Spec(mode, partitionBy), runId);
        committer.Prepare();
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

    private void CommitRun(string runId, SinkMode mode, IReadOnlyList<string>? partitionBy, params string[] relatives)
    {
        var (committer, files) = Stage(runId, mode, partitionBy, relatives);
        committer.Commit(files, all => Manifest(runId, all), _ => 1);
    }

    private List<string> Visible() => [.. LakeCommitter.VisibleDataFiles(_sink).Select(f => Path.GetRelativePath(_sink, f).Replace('\\', '/'))];

    private List<string> ManifestPaths() => [.. RunManifest.TryRead(_sink)!.Files.Select(f => f.Path).Order(StringComparer.Ordinal)];

    [Fact]
    public void Commit_Overwrite_ReplacesThePreviousFiles()
    {
        CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        CommitRun("r2", SinkMode.Overwrite, null, "part-r2.parquet");

        Assert.Equal(["part-r2.parquet"], Visible());
        Assert.Equal(["part-r2.parquet"], ManifestPaths());
    }

    [Fact]
    public void Commit_OverwriteWithoutManifest_ReplacesEveryVisibleFile()
    {
        File.WriteAllText(Path.Combine(_sink, "old.parquet"), "x");
        File.WriteAllText(Path.Combine(_sink, "_keep.txt"), "x");

        CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        Assert.Equal(["part-r1.parquet"], Visible());
        Assert.True(File.Exists(Path.Combine(_sink, "_keep.txt")));
    }

    [Fact]
    public void Commit_OverwritePartitioned_ReplacesOnlyWrittenPartitions()
    {
        CommitRun("r1", SinkMode.Overwrite, ["c"], "c=DE/part-r1.parquet", "c=FR/part-r1.parquet");

        CommitRun("r2", SinkMode.Overwrite, ["c"], "c=FR/part-r2.parquet");

        Assert.Equal(["c=DE/part-r1.parquet", "c=FR/part-r2.parquet"], Visible());
        Assert.Equal(["c=DE/part-r1.parquet", "c=FR/part-r2.parquet"], ManifestPaths());
    }

    [Fact]
    public void Commit_Append_KeepsThePreviousFiles()
    {
        CommitRun("r1", SinkMode.Append, null, "part-r1.parquet");

        CommitRun("r2", SinkMode.Append, null, "part-r2.parquet");

        Assert.Equal(["part-r1.parquet", "part-r2.parquet"], ManifestPaths());
    }

    [Fact]
    public void Commit_AppendWithoutManifest_ListsTheFilesAlreadyThereWithTheirRows()
    {
        File.WriteAllText(Path.Combine(_sink, "old.parquet"), "x");
        var (committer, files) = Stage("r1", SinkMode.Append, null, "part-r1.parquet");

        committer.Commit(files, all => Manifest("r1", all), _ => 42);

        Assert.Equal(42, RunManifest.TryRead(_sink)!.Files.Single(f => f.Path == "old.parquet").Rows);
    }

    [Fact]
    public void Prepare_ErrorIfExistsOnData_Throws()
    {
        CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        using var committer = new LakeCommitter(Spec(SinkMode.ErrorIfExists), "r2");

        var e = Assert.Throws<IOException>(() => committer.Prepare());

        Assert.Equal($"sink '{_sink}' already holds data and its mode is errorIfExists", e.Message);
    }

    [Fact]
    public void Commit_Success_WritesManifestAndSuccessAndRemovesStaging()
    {
        CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        Assert.True(File.Exists(Path.Combine(_sink, "_SUCCESS")));
        Assert.Equal("r1", RunManifest.TryRead(_sink)!.RunId);
        Assert.False(Directory.Exists(Path.Combine(_sink, "_tmp")));
    }

    [Fact]
    public void Prepare_StagingWithoutJournal_IsDiscarded()
    {
        CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        var (crashed, _) = Stage("r2", SinkMode.Overwrite, null, "part-r2.parquet");
        crashed.Dispose(); // as if killed before deciding

        CommitRun("r3", SinkMode.Append, null, "part-r3.parquet");

        Assert.Equal(["part-r1.parquet", "part-r3.parquet"], Visible());
        Assert.False(Directory.Exists(Path.Combine(_sink, "_tmp")));
    }

    [Fact]
    public void Prepare_DecidedButUnappliedCommit_IsRolledForward()
    {
        CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        var (crashed, files) = Stage("r2", SinkMode.Overwrite, null, "part-r2a.parquet", "part-r2b.parquet");
        crashed.Decide(crashed.Plan(files, all => Manifest("r2", all), _ => 1));
        crashed.Dispose(); // killed right after the journal was written

        using var next = new LakeCommitter(Spec(), "r3");
        next.Prepare();

        Assert.Equal(["part-r2a.parquet", "part-r2b.parquet"], Visible());
        Assert.Equal("r2", RunManifest.TryRead(_sink)!.RunId);
        Assert.True(File.Exists(Path.Combine(_sink, "_SUCCESS")));
    }

    [Fact]
    public void JournalApply_HalfAppliedThenAppliedAgain_EndsInTheNewState()
    {
        CommitRun("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        var (committer, files) = Stage("r2", SinkMode.Overwrite, null, "part-r2a.parquet", "part-r2b.parquet");
        var journal = committer.Plan(files, all => Manifest("r2", all), _ => 1);
        committer.Decide(journal);
        // A crash between renames: one file moved, the other still staged.
        File.Move(files[0].StagingPath, Path.Combine(_sink, "part-r2a.parquet"));

        journal.Apply(_sink, committer.StagingFolder);
        journal.Apply(_sink, committer.StagingFolder);

        Assert.Equal(["part-r2a.parquet", "part-r2b.parquet"], Visible());
        Assert.Equal(["part-r2a.parquet", "part-r2b.parquet"], ManifestPaths());
        committer.Dispose();
    }

    [Fact]
    public void JournalApply_PathLeavingTheSink_IsRefused()
    {
        var journal = new CommitJournal { RunId = "r", Moves = [], Deletes = ["../outside.parquet"], Writes = [] };

        var e = Assert.Throws<InvalidDataException>(() => journal.Apply(_sink, Path.Combine(_sink, "_tmp", "r")));

        Assert.Equal($"commit journal names '../outside.parquet', which is outside '{_sink}'", e.Message);
    }

    [Fact]
    public void Abort_BeforeDecision_RemovesStagingAndReleasesTheLock()
    {
        var (committer, _) = Stage("r1", SinkMode.Overwrite, null, "part-r1.parquet");

        committer.Abort();

        Assert.False(Directory.Exists(Path.Combine(_sink, "_tmp")));
        using var next = SinkLock.Acquire(_sink, "r2", DateTimeOffset.UtcNow);
    }

    [Fact]
    public void TryRecoverForReading_DecidedCommit_RollsItForward()
    {
        var (crashed, files) = Stage("r1", SinkMode.Overwrite, null, "part-r1.parquet");
        crashed.Decide(crashed.Plan(files, all => Manifest("r1", all), _ => 1));
        crashed.Dispose();

        Assert.True(LakeCommitter.TryRecoverForReading(_sink));

        Assert.Equal(["part-r1.parquet"], ManifestPaths());
    }
}
