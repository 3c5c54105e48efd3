// End to end: two etl processes writing one sink folder at once. Appends both land; of two overwrites the first to
// commit wins whole and the other exits 4 naming it.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed class ConcurrentRunTests : IDisposable
{
    private const int Rows = 5000;
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Starts a run that stops after its first batch, runs the same spec whole meanwhile, then lets the first go on.</summary>
    private async Task<(CliResult Paused, CliResult Meanwhile)> RunTwoAtOnceAsync(string mode)
    {
        _folder.WriteOrders("in/orders.csv", 0, Rows);
        _folder.Save(LakeSpecs.Orders(mode: mode, maxRowsPerFile: 2000));
        using var paused = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "orders.json");
        var meanwhile = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");
        paused.Resume();
        return (await paused.ResultAsync(), meanwhile);
    }

    [Fact]
    public async Task Run_AppendWhileAnotherAppendCommits_BothCommitsLand()
    {
        var (paused, meanwhile) = await RunTwoAtOnceAsync("append");

        Assert.Equal((0, 0), (paused.ExitCode, meanwhile.ExitCode));
        Assert.Equal([$"{Rows}|{2 * Rows}"], DuckDb.Strings($"SELECT count(DISTINCT id), count(*) FROM {_folder.Committed(LakeSpecs.Sink)}"));
        Assert.Equal(_folder.ManifestFiles(LakeSpecs.Sink), _folder.SinkFiles(LakeSpecs.Sink));
    }

    [Fact]
    public async Task Run_OverwriteWhileAnotherOverwriteCommits_ExitsFourNamingTheWinner()
    {
        var (paused, meanwhile) = await RunTwoAtOnceAsync("overwrite");

        var winner = _folder.Manifest(LakeSpecs.Sink).GetProperty("runId").GetString();
        Assert.Equal(0, meanwhile.ExitCode);
        Assert.Equal(4, paused.ExitCode);
        Assert.Contains("orders: conflict", paused.Stdout, StringComparison.Ordinal);
        Assert.Contains($"run {winner} committed version 1 (overwrite, at ", paused.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing of run ", paused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OverwriteThatLost_LeavesTheWinnersDataWholeAndNoFileOfItsOwn()
    {
        var (_, meanwhile) = await RunTwoAtOnceAsync("overwrite");

        var winner = _folder.Manifest(LakeSpecs.Sink).GetProperty("runId").GetString();
        Assert.Equal(0, meanwhile.ExitCode);
        Assert.Equal(Rows, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));
        Assert.All(_folder.SinkFiles(LakeSpecs.Sink), f => Assert.StartsWith($"part-{winner}-", f, StringComparison.Ordinal));
        Assert.Equal(_folder.ManifestFiles(LakeSpecs.Sink), _folder.SinkFiles(LakeSpecs.Sink));
        Assert.False(Directory.Exists(_folder.PathOf("lake/orders/_runs")));
    }
}
