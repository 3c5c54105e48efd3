// End to end: one run split into 4 real etl processes (JOB_COMPLETION_INDEX=0..3, as an Indexed Job's pods) and etl commit.
using System.Globalization;
using System.Text;
using Etl.Cli.Tests.Lake;
using Etl.Cli.Tests.TestSupport;
using Etl.SampleApi;

namespace Etl.Cli.Tests.Shards;

public sealed class ShardedRunTests : IDisposable
{
    private const int Shards = 4;
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void WriteCsvFiles(int files, int rowsPerFile)
    {
        for (var f = 0; f < files; f++)
        {
            var text = new StringBuilder("id,country,amount\n");
            for (var r = 0; r < rowsPerFile; r++)
            {
                var id = f * rowsPerFile + r;
                text.Append(CultureInfo.InvariantCulture, $"{id},{(id % 3 == 0 ? "FR" : "DE")},{id}.25\n");
            }
            _folder.Write($"in/orders-{f:D2}.csv", text.ToString());
        }
    }

    private void SaveCsvSpec(string name, string sink) => _folder.Write($"{name}.json", $$"""
        { "name": "{{name}}", "source": { "type": "csv", "path": {{_folder.Json("in/*.csv")}} },
          "schema": { "id": "int64 not null", "country": "string", "amount": "decimal(18,2)" },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json(sink)}} } ] }
        """);

    private void SaveHttpSpec(string name, string sink, Uri api) => _folder.Write($"{name}.json", $$"""
        { "name": "{{name}}",
          "source": { "type": "http", "baseUrl": "{{api.ToString().TrimEnd('/')}}", "path": "/orders/{id}",
                      "values": { "id": { "from": 1, "to": 120 } }, "recordPath": "data", "concurrency": 8, "requestsPerSecond": 2000 },
          "transforms": [ { "type": "select", "columns": { "order_id": "id", "requested_id": "$request.id", "amount": "amount" } } ],
          "schema": { "order_id": "int64 not null", "requested_id": "int64 not null", "amount": "decimal(18,2)" },
          "sinks": [ { "type": "parquet", "path": {{_folder.Json(sink)}} } ] }
        """);

    /// <summary>One shard as its own etl process, its index from JOB_COMPLETION_INDEX as an Indexed Job's pod gets it.</summary>
    private Task<CliResult> RunShardAsync(string spec, int index, string runId) =>
        EtlCli.RunProcessAsync(new ProcessOptions(_folder.Root)
        {
            Environment = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = index.ToString(CultureInfo.InvariantCulture) },
        }, "run", spec, "--shards", $"{Shards}", "--run-id", runId, "--progress", "none");

    /// <summary>Starts every shard in <paramref name="indexes"/> at once as processes, as an Indexed Job does, and waits for all.</summary>
    private async Task<CliResult[]> RunShardsAsync(string spec, string runId, params int[] indexes)
    {
        var results = await Task.WhenAll(indexes.Select(i => RunShardAsync(spec, i, runId)));
        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        return results;
    }

    /// <summary>Shards run one after the other in this process: for tests of what the commit does with their output.</summary>
    private async Task RunShardsInProcessAsync(string spec, string runId, params int[] indexes)
    {
        foreach (var i in indexes)
        {
            await EtlCli.RunOkAsync("run", _folder.PathOf(spec), "--shards", $"{Shards}", "--shard", $"{i}", "--run-id", runId, "--progress", "none");
        }
    }

    private Task<CliResult> RunSingleAsync(string spec) => EtlCli.RunOkAsync("run", _folder.PathOf(spec), "--progress", "none");

    private Task<CliResult> CommitAsync(string spec, string runId) =>
        EtlCli.RunAsync("commit", _folder.PathOf(spec), "--shards", $"{Shards}", "--run-id", runId);

    private static List<string> Lines(string folder, string columns) =>
        DuckDb.Rows($"SELECT {columns} FROM {DuckDb.Parquet(folder)} ORDER BY ALL").Select(r => string.Join('|', r)).ToList();

    [Fact]
    public async Task CsvFiles_InFourShards_CommitTheSameRowsAsOneProcess()
    {
        WriteCsvFiles(files: 12, rowsPerFile: 50);
        SaveCsvSpec("sharded", "lake/sharded");
        SaveCsvSpec("single", "lake/single");
        await RunSingleAsync("single.json");

        var shards = await RunShardsAsync("sharded.json", "r1", 0, 1, 2, 3);
        var commit = await CommitAsync("sharded.json", "r1");

        Assert.True(commit.ExitCode == 0, commit.ToString());
        Assert.Equal(600, Lines(_folder.PathOf("lake/single"), "id, country, amount").Count);
        Assert.Equal(Lines(_folder.PathOf("lake/single"), "id, country, amount"), Lines(_folder.PathOf("lake/sharded"), "id, country, amount"));
        Assert.Equal(600, shards.Sum(s => s.Summary.Read));
        Assert.Equal(600, commit.Summary.Written);
    }

    [Fact]
    public async Task HttpRequests_InFourShards_AreEachFetchedOnceAndUnionToOneProcessRun()
    {
        await using var api = await SampleApiServer.StartAsync(new SampleApiOptions());
        SaveHttpSpec("sharded", "lake/sharded", api.BaseAddress);
        SaveHttpSpec("single", "lake/single", api.BaseAddress);
        await RunSingleAsync("single.json");
        api.ClearRequests();

        var shards = await RunShardsAsync("sharded.json", "r1", 0, 1, 2, 3);
        var commit = await CommitAsync("sharded.json", "r1");

        Assert.True(commit.ExitCode == 0, commit.ToString());
        var hits = api.Requests.GroupBy(r => r.PathAndQuery).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(120, hits.Count);
        Assert.Equal([], hits.Where(h => h.Value > 1).Select(h => h.Key));
        Assert.All(shards, s => Assert.InRange(s.Summary.Read, 1, 119));
        Assert.Equal(Lines(_folder.PathOf("lake/single"), "order_id, requested_id, amount"),
            Lines(_folder.PathOf("lake/sharded"), "order_id, requested_id, amount"));
    }

    [Fact]
    public async Task KilledShard_BlocksTheCommitUntilItIsRunAgain()
    {
        WriteCsvFiles(files: 12, rowsPerFile: 50);
        SaveCsvSpec("sharded", "lake/sharded");
        await RunShardsInProcessAsync("sharded.json", "r1", 0, 1, 3);
        // Shard 2 is killed before its manifest: what it wrote stays staged, unnamed by any manifest.
        var killed = await EtlCli.StartPausedAtAsync("write", _folder.Root, "run", "sharded.json", "--shards", "4", "--shard", "2", "--run-id", "r1", "--progress", "none");
        killed.Kill9();
        killed.Dispose();

        var blocked = await CommitAsync("sharded.json", "r1");

        Assert.Equal(5, blocked.ExitCode);
        Assert.Contains("shard 2 of 4 has no manifest", blocked.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("shard 1 of 4", blocked.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.PathOf("lake/sharded/_manifest.json")));
        Assert.Empty(_folder.SinkFiles("lake/sharded"));

        await RunShardsInProcessAsync("sharded.json", "r1", 2);
        var commit = await CommitAsync("sharded.json", "r1");

        Assert.True(commit.ExitCode == 0, commit.ToString());
        Assert.Equal(600, DuckDb.Count(DuckDb.Parquet(_folder.PathOf("lake/sharded"))));
    }

    [Fact]
    public async Task RepeatedCommit_IsANoOpThatExitsZero()
    {
        WriteCsvFiles(files: 8, rowsPerFile: 25);
        SaveCsvSpec("sharded", "lake/sharded");
        await RunShardsInProcessAsync("sharded.json", "r1", 0, 1, 2, 3);
        Assert.Equal(0, (await CommitAsync("sharded.json", "r1")).ExitCode);
        var manifest = File.ReadAllText(_folder.PathOf("lake/sharded/_manifest.json"));

        var again = await CommitAsync("sharded.json", "r1");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("committed already", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(manifest, File.ReadAllText(_folder.PathOf("lake/sharded/_manifest.json")));
        Assert.Equal(200, DuckDb.Count(DuckDb.Parquet(_folder.PathOf("lake/sharded"))));
    }

    [Fact]
    public async Task RerunShardIndex_ReplacesItsEarlierAttemptsFiles()
    {
        WriteCsvFiles(files: 8, rowsPerFile: 25);
        SaveCsvSpec("sharded", "lake/sharded");
        await RunShardsInProcessAsync("sharded.json", "r1", 0, 1, 2, 3, 1);

        var commit = await CommitAsync("sharded.json", "r1");

        Assert.True(commit.ExitCode == 0, commit.ToString());
        Assert.Equal(200, DuckDb.Count(DuckDb.Parquet(_folder.PathOf("lake/sharded"))));
        Assert.Equal(4, _folder.SinkFiles("lake/sharded").Count);
        Assert.False(Directory.Exists(_folder.PathOf("lake/sharded/_runs/r1")));
        Assert.False(Directory.Exists(_folder.PathOf("lake/sharded/_tmp/r1")));
    }

    [Fact]
    public async Task Commit_FailuresSummedOverShardsAboveTheLimit_ExitsThreeAndCommitsNothing()
    {
        WriteCsvFiles(files: 12, rowsPerFile: 10);
        foreach (var f in new[] { 1, 5, 9 })
        {
            File.AppendAllText(_folder.PathOf($"in/orders-{f:D2}.csv"), $"x{f},FR,1.00\n");
        }
        _folder.Write("sharded.json", $$"""
            { "name": "sharded", "source": { "type": "csv", "path": {{_folder.Json("in/*.csv")}} },
              "schema": { "id": "int64 not null" },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/sharded")}} } ],
              "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 2 } }
            """);
        for (var i = 0; i < Shards; i++)
        {
            await EtlCli.RunAsync("run", _folder.PathOf("sharded.json"), "--shards", $"{Shards}", "--shard", $"{i}", "--run-id", "r1", "--progress", "none");
        }

        var commit = await CommitAsync("sharded.json", "r1");

        Assert.Equal(3, commit.ExitCode);
        Assert.Contains("3 record(s) failed in all shards, more than errors.maxFailedRecords (2)", commit.Stderr, StringComparison.Ordinal);
        Assert.Empty(_folder.SinkFiles("lake/sharded"));
        Assert.Equal(3, Directory.GetFiles(_folder.PathOf("errors")).Sum(f => File.ReadAllLines(f).Length));
    }

    [Fact]
    public async Task Commit_WithOtherParamsThanTheShards_NamesTheShardsAndCommitsNothing()
    {
        WriteCsvFiles(files: 4, rowsPerFile: 10);
        _folder.Write("sharded.json", $$"""
            { "name": "sharded", "parameters": { "day": "2026-12-01" },
              "source": { "type": "csv", "path": {{_folder.Json("in/*.csv")}} },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/sharded/day=${day}")}} } ] }
            """);
        for (var i = 0; i < Shards; i++)
        {
            await EtlCli.RunOkAsync("run", _folder.PathOf("sharded.json"), "--shards", $"{Shards}", "--shard", $"{i}", "--run-id", "r1", "--param", "day=2026-12-02", "--progress", "none");
        }

        var commit = await EtlCli.RunAsync("commit", _folder.PathOf("sharded.json"), "--shards", $"{Shards}", "--run-id", "r1", "--param", "day=2026-12-01");

        Assert.Equal(5, commit.ExitCode);
        Assert.Contains("shard 0 of 4 has no manifest", commit.Stderr, StringComparison.Ordinal);
        var right = await EtlCli.RunAsync("commit", _folder.PathOf("sharded.json"), "--shards", $"{Shards}", "--run-id", "r1", "--param", "day=2026-12-02");
        Assert.True(right.ExitCode == 0, right.ToString());
    }

    [Fact]
    public async Task Commit_WithAnotherShardCount_NamesTheMismatch()
    {
        WriteCsvFiles(files: 4, rowsPerFile: 10);
        SaveCsvSpec("sharded", "lake/sharded");
        for (var i = 0; i < 2; i++)
        {
            await EtlCli.RunOkAsync("run", _folder.PathOf("sharded.json"), "--shards", "2", "--shard", $"{i}", "--run-id", "r1", "--progress", "none");
        }

        var commit = await EtlCli.RunAsync("commit", _folder.PathOf("sharded.json"), "--shards", "1", "--run-id", "r1");

        Assert.Equal(5, commit.ExitCode);
        Assert.Contains("shard 0 was run with --shards 2, not 1", commit.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("commit-rename")]
    [InlineData("commit-log")]
    public async Task CommitKilledAt_ThenRepeated_CommitsEveryRowOnce(string point)
    {
        WriteCsvFiles(files: 8, rowsPerFile: 25);
        SaveCsvSpec("sharded", "lake/sharded");
        await RunShardsInProcessAsync("sharded.json", "r1", 0, 1, 2, 3);
        using (var killed = await EtlCli.StartPausedAtAsync(point, _folder.Root, "commit", "sharded.json", "--shards", "4", "--run-id", "r1"))
        {
            killed.Kill9();
        }

        var again = await CommitAsync("sharded.json", "r1");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(200, DuckDb.Count(_folder.Committed("lake/sharded")));
        Assert.Equal(200, DuckDb.Count(DuckDb.Parquet(_folder.PathOf("lake/sharded"))));
    }

    [Fact]
    public async Task ShardsWithoutRunId_IsAUsageError()
    {
        SaveCsvSpec("sharded", "lake/sharded");

        var result = await EtlCli.RunProcessAsync(new ProcessOptions(_folder.Root)
        {
            Environment = new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = "0", ["ETL_RUN_ID"] = "", ["AIRFLOW_CTX_DAG_RUN_ID"] = "" },
        }, "run", "sharded.json", "--shards", "4");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--shards needs the run id all shards share", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShardIndexOutOfRange_IsAUsageError()
    {
        SaveCsvSpec("sharded", "lake/sharded");

        var result = await EtlCli.RunAsync("run", _folder.PathOf("sharded.json"), "--shards", "4", "--shard", "4", "--run-id", "r1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("shard index 4 is out of range: with --shards 4 it is 0 to 3", result.Stderr, StringComparison.Ordinal);
    }
}
