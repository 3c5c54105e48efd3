// End to end: kill -9 and Ctrl+C of a real etl process at chosen points of a run, then inspection and a re-run.
using System.Diagnostics;

namespace Etl.Cli.Tests.Lake;

public sealed class CrashTests : IDisposable
{
    private const int OldRows = 3000;
    private const int NewRows = 60_000;
    private readonly LakeWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    /// <summary>A committed sink holding the old input, then the input grown to the new one; returns the old rows.</summary>
    private List<string> CommitOldThenGrowInput(bool partitioned = false)
    {
        _ws.WriteOrders("in/orders.csv", 0, OldRows);
        _ws.Save(LakeSpecs.Orders(maxRowsPerFile: 10_000, partitionBy: partitioned ? ["country"] : null));
        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);
        var old = LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink));
        Assert.Equal(OldRows, old.Count);
        _ws.WriteOrders("in/orders.csv", 0, NewRows);
        return old;
    }

    /// <summary>The rows a clean run over the new input writes, in a sink of its own.</summary>
    private List<string> CleanRunRows(bool partitioned = false)
    {
        _ws.Save(LakeSpecs.Orders(sink: "lake/clean", maxRowsPerFile: 10_000, partitionBy: partitioned ? ["country"] : null), "clean.json");
        Assert.Equal(0, _ws.Run("run", "clean.json").ExitCode);
        return LakeWorkspace.Rows(_ws.Visible("lake/clean"));
    }

    [Fact]
    public void Kill9_WhileWriting_LeavesThePreviousDataVisible()
    {
        var old = CommitOldThenGrowInput();
        var before = _ws.VisibleFiles(LakeSpecs.Sink);

        using var process = _ws.StartPausedAt("write", "run", "orders.json");
        Assert.NotEmpty(Directory.GetFiles(_ws.P("lake/orders/_tmp"), "*.parquet.inprogress", SearchOption.AllDirectories));
        // A globbing reader such as DuckDB's 'sink/**/*.parquet' (which descends into _tmp) sees only the old rows.
        Assert.Equal(old, LakeWorkspace.Rows($"read_parquet('{_ws.P(LakeSpecs.Sink)}/**/*.parquet')"));
        LakeWorkspace.Kill9(process);

        Assert.Equal(before, _ws.VisibleFiles(LakeSpecs.Sink));
        Assert.Equal(old, LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink)));
        Assert.Equal(old, LakeWorkspace.Rows(_ws.Committed(LakeSpecs.Sink)));
    }

    [Fact]
    public void Kill9_WhileWriting_RerunMatchesACleanRunAndRemovesStaging()
    {
        CommitOldThenGrowInput();
        using (var process = _ws.StartPausedAt("write", "run", "orders.json"))
        {
            LakeWorkspace.Kill9(process);
        }

        var rerun = _ws.Run("run", "orders.json");

        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(CleanRunRows(), LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink)));
        Assert.False(Directory.Exists(_ws.P("lake/orders/_tmp")));
    }

    [Fact]
    public void Kill9_BetweenRenames_NoPartialFileAndManifestStillNamesThePreviousData()
    {
        var old = CommitOldThenGrowInput();

        using var process = _ws.StartPausedAt("commit-rename", "run", "orders.json");
        LakeWorkspace.Kill9(process);

        // Every visible file is whole (files appear by rename only), and the manifest still names the old files.
        foreach (var file in _ws.VisibleFiles(LakeSpecs.Sink))
        {
            Assert.True(LakeWorkspace.Count(_ws.ParquetOf(LakeSpecs.Sink, [file])) > 0, file);
        }
        Assert.Equal(old, LakeWorkspace.Rows(_ws.Committed(LakeSpecs.Sink)));
        Assert.True(File.Exists(Directory.GetFiles(_ws.P("lake/orders/_tmp"), "_commit.json", SearchOption.AllDirectories).Single()));
    }

    [Fact]
    public void Kill9_BetweenRenames_RerunMatchesACleanRun()
    {
        CommitOldThenGrowInput();
        using (var process = _ws.StartPausedAt("commit-rename", "run", "orders.json"))
        {
            LakeWorkspace.Kill9(process);
        }

        var rerun = _ws.Run("run", "orders.json");

        Assert.Equal(0, rerun.ExitCode);
        var clean = CleanRunRows();
        Assert.Equal(NewRows, clean.Count);
        Assert.Equal(clean, LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink)));
        Assert.Equal(clean, LakeWorkspace.Rows(_ws.Committed(LakeSpecs.Sink)));
        Assert.False(Directory.Exists(_ws.P("lake/orders/_tmp")));
    }

    [Fact]
    public void Kill9_BetweenRenamesPartitioned_RerunMatchesACleanRun()
    {
        CommitOldThenGrowInput(partitioned: true);
        using (var process = _ws.StartPausedAt("commit-rename", "run", "orders.json"))
        {
            LakeWorkspace.Kill9(process);
        }

        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);

        Assert.Equal(CleanRunRows(partitioned: true), LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink)));
        Assert.Equal(_ws.ManifestFiles(LakeSpecs.Sink), _ws.VisibleFiles(LakeSpecs.Sink));
    }

    [Fact]
    public void Kill9_BetweenRenames_ChainedReaderRollsTheCommitForward()
    {
        CommitOldThenGrowInput();
        using (var process = _ws.StartPausedAt("commit-rename", "run", "orders.json"))
        {
            LakeWorkspace.Kill9(process);
        }
        _ws.Save(new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "copy",
            ["source"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "parquet", ["path"] = LakeSpecs.Sink },
            ["sinks"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "parquet", ["path"] = "lake/copy" }),
        }, "copy.json");

        var copy = _ws.Run("run", "copy.json");

        Assert.Equal(0, copy.ExitCode);
        Assert.Equal(NewRows, LakeWorkspace.Count(_ws.Visible("lake/copy")));
        Assert.Equal(_ws.ManifestFiles(LakeSpecs.Sink), _ws.VisibleFiles(LakeSpecs.Sink));
    }

    [Fact]
    public void Kill9_AfterManifestBeforeDeletes_RerunLeavesOnlyTheNewFiles()
    {
        CommitOldThenGrowInput();
        using (var process = _ws.StartPausedAt("commit-manifest", "run", "orders.json"))
        {
            LakeWorkspace.Kill9(process);
        }
        Assert.Equal(NewRows, LakeWorkspace.Count(_ws.Committed(LakeSpecs.Sink)));

        Assert.Equal(0, _ws.Run("run", "orders.json").ExitCode);

        Assert.Equal(CleanRunRows(), LakeWorkspace.Rows(_ws.Visible(LakeSpecs.Sink)));
    }

    [Fact]
    public async Task CtrlC_WhileWriting_Exits130AndLeavesThePreviousData()
    {
        var old = CommitOldThenGrowInput();
        var before = _ws.VisibleFiles(LakeSpecs.Sink);
        using var process = _ws.StartPausedAt("write", "run", "orders.json");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        // The paused run stops by itself once it has handled the signal; releasing the pause before that could let it
        // run on to a commit on a loaded machine.
        Assert.True(process.WaitForExit(LakeWorkspace.RunTimeout), "etl did not stop after SIGINT");

        Assert.Equal(130, process.ExitCode);
        Assert.Contains("cancelled", await stdout, StringComparison.Ordinal);
        Assert.Equal(before, _ws.VisibleFiles(LakeSpecs.Sink));
        Assert.Equal(old, LakeWorkspace.Rows(_ws.Committed(LakeSpecs.Sink)));
        Assert.False(Directory.Exists(_ws.P("lake/orders/_tmp")), await stderr);
    }
}
