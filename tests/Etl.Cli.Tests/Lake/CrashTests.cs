// End to end: kill -9 and Ctrl+C of a real etl process at chosen points of a run, then inspection and a re-run.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed class CrashTests : IDisposable
{
    private const int OldRows = 3000;
    private const int NewRows = 60_000;
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A committed sink holding the old input, then the input grown to the new one; returns the old rows.</summary>
    private async Task<List<string>> CommitOldThenGrowInputAsync(bool partitioned = false)
    {
        _folder.WriteOrders("in/orders.csv", 0, OldRows);
        _folder.Save(LakeSpecs.Orders(maxRowsPerFile: 10_000, partitionBy: partitioned ? ["country"] : null));
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);
        var old = LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink));
        Assert.Equal(OldRows, old.Count);
        _folder.WriteOrders("in/orders.csv", 0, NewRows);
        return old;
    }

    /// <summary>The rows a clean run over the new input writes, in a sink of its own.</summary>
    private async Task<List<string>> CleanRunRowsAsync(bool partitioned = false)
    {
        _folder.Save(LakeSpecs.Orders(sink: "lake/clean", maxRowsPerFile: 10_000, partitionBy: partitioned ? ["country"] : null), "clean.json");
        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "clean.json")).ExitCode);
        return LakeSpecs.OrderRows(_folder.Visible("lake/clean"));
    }

    [Fact]
    public async Task Kill9_WhileWriting_LeavesThePreviousDataVisible()
    {
        var old = await CommitOldThenGrowInputAsync();
        var before = _folder.SinkFiles(LakeSpecs.Sink);

        using var process = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "orders.json");
        Assert.NotEmpty(Directory.GetFiles(_folder.PathOf("lake/orders/_tmp"), "*.parquet.inprogress", SearchOption.AllDirectories));
        // A globbing reader such as DuckDB's 'sink/**/*.parquet' (which descends into _tmp) sees only the old rows.
        Assert.Equal(old, LakeSpecs.OrderRows($"read_parquet('{_folder.PathOf(LakeSpecs.Sink)}/**/*.parquet')"));
        process.Kill9();

        Assert.Equal(before, _folder.SinkFiles(LakeSpecs.Sink));
        Assert.Equal(old, LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink)));
        Assert.Equal(old, LakeSpecs.OrderRows(_folder.Committed(LakeSpecs.Sink)));
    }

    [Fact]
    public async Task Kill9_WhileWriting_RerunMatchesACleanRunAndRemovesStaging()
    {
        await CommitOldThenGrowInputAsync();
        using (var process = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "orders.json"))
        {
            process.Kill9();
        }

        var rerun = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(await CleanRunRowsAsync(), LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink)));
        Assert.False(Directory.Exists(_folder.PathOf("lake/orders/_tmp")));
    }

    [Fact]
    public async Task Kill9_BetweenRenames_NoPartialFileAndManifestStillNamesThePreviousData()
    {
        var old = await CommitOldThenGrowInputAsync();

        using var process = await EtlCli.StartPausedAtAsync("commit-rename", _folder.Root, "run", "orders.json");
        process.Kill9();

        // Every visible file is whole (files appear by rename only), and the manifest still names the old files.
        foreach (var file in _folder.SinkFiles(LakeSpecs.Sink))
        {
            Assert.True(DuckDb.Count(_folder.ParquetOf(LakeSpecs.Sink, [file])) > 0, file);
        }
        Assert.Equal(old, LakeSpecs.OrderRows(_folder.Committed(LakeSpecs.Sink)));
        Assert.Equal(["00000000000000000001.json"], Directory.GetFiles(_folder.PathOf("lake/orders/_log")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Kill9_BetweenRenames_RerunMatchesACleanRun()
    {
        await CommitOldThenGrowInputAsync();
        using (var process = await EtlCli.StartPausedAtAsync("commit-rename", _folder.Root, "run", "orders.json"))
        {
            process.Kill9();
        }

        var rerun = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, rerun.ExitCode);
        var clean = await CleanRunRowsAsync();
        Assert.Equal(NewRows, clean.Count);
        Assert.Equal(clean, LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink)));
        Assert.Equal(clean, LakeSpecs.OrderRows(_folder.Committed(LakeSpecs.Sink)));
        Assert.False(Directory.Exists(_folder.PathOf("lake/orders/_tmp")));
    }

    [Fact]
    public async Task Kill9_BetweenRenamesPartitioned_RerunMatchesACleanRun()
    {
        await CommitOldThenGrowInputAsync(partitioned: true);
        using (var process = await EtlCli.StartPausedAtAsync("commit-rename", _folder.Root, "run", "orders.json"))
        {
            process.Kill9();
        }

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Equal(await CleanRunRowsAsync(partitioned: true), LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink)));
        Assert.Equal(_folder.ManifestFiles(LakeSpecs.Sink), _folder.SinkFiles(LakeSpecs.Sink));
    }

    /// <summary>Runs a pipeline that copies the orders sink, as another pipeline chained on it would read it.</summary>
    private async Task<CliResult> CopyOrdersAsync()
    {
        _folder.Save(new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "copy",
            ["source"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "parquet", ["path"] = LakeSpecs.Sink },
            ["sinks"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "parquet", ["path"] = "lake/copy" }),
        }, "copy.json");
        return await EtlCli.RunProcessAsync(_folder.Root, "run", "copy.json");
    }

    [Fact]
    public async Task Kill9_BetweenRenames_ChainedReaderReadsThePreviousCommit()
    {
        await CommitOldThenGrowInputAsync();
        using (var process = await EtlCli.StartPausedAtAsync("commit-rename", _folder.Root, "run", "orders.json"))
        {
            process.Kill9();
        }

        var copy = await CopyOrdersAsync();

        Assert.Equal(0, copy.ExitCode);
        Assert.Equal(OldRows, DuckDb.Count(_folder.Visible("lake/copy")));
    }

    [Fact]
    public async Task Kill9_AfterTheLogEntry_ChainedReaderReadsTheNewCommit()
    {
        await CommitOldThenGrowInputAsync();
        using (var process = await EtlCli.StartPausedAtAsync("commit-log", _folder.Root, "run", "orders.json"))
        {
            process.Kill9();
        }

        var copy = await CopyOrdersAsync();

        Assert.Equal(0, copy.ExitCode);
        Assert.Equal(NewRows, DuckDb.Count(_folder.Visible("lake/copy")));
    }

    [Fact]
    public async Task Kill9_AfterManifestBeforeDeletes_RerunLeavesOnlyTheNewFiles()
    {
        await CommitOldThenGrowInputAsync();
        using (var process = await EtlCli.StartPausedAtAsync("commit-manifest", _folder.Root, "run", "orders.json"))
        {
            process.Kill9();
        }
        Assert.Equal(NewRows, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        Assert.Equal(await CleanRunRowsAsync(), LakeSpecs.OrderRows(_folder.Visible(LakeSpecs.Sink)));
    }

    [Fact]
    public async Task Interrupt_WhileWriting_Exits130AndLeavesThePreviousData()
    {
        var old = await CommitOldThenGrowInputAsync();
        var before = _folder.SinkFiles(LakeSpecs.Sink);
        using var process = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "orders.json");

        process.Interrupt();
        // The paused run stops by itself once it has handled the signal; releasing the pause before that could let it
        // run on to a commit on a loaded machine.
        Assert.True(await process.WaitForExitAsync(EtlCli.Timeout), "etl did not stop when interrupted");

        var result = await process.ResultAsync();
        Assert.Equal(130, result.ExitCode);
        Assert.Contains("cancelled", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, _folder.SinkFiles(LakeSpecs.Sink));
        Assert.Equal(old, LakeSpecs.OrderRows(_folder.Committed(LakeSpecs.Sink)));
        Assert.False(Directory.Exists(_folder.PathOf("lake/orders/_tmp")), result.Stderr);
    }
}
