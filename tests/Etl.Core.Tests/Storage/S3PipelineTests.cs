// Pipelines whose inputs and lake live on S3 (moto_server): the same runs as on disk, read back with DuckDB.
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Core.Tests.Storage;

[Collection(MotoCollection.Name)]
public sealed class S3PipelineTests(MotoServer moto) : IDisposable
{
    private const string Csv = "id,country,amount\n1,FR,10.50\n2,DE,20.00\n3,FR,30.25\n4,,7.00\n";

    private readonly string _local = Directory.CreateTempSubdirectory("etl-s3-").FullName;

    private static IStorage S3 => StorageRegistry.For("s3://any");

    private static async Task<RunResult> RunAsync(string source, string sink, string extra = "")
    {
        var spec = $$"""
            { "name": "s3", "source": {{source}}, {{extra}}
              "schema": { "id": "int64 not null", "country": "string", "amount": "decimal(10,2)" },
              "sinks": [ {{sink}} ] }
            """;
        return await new PipelineRunner().RunAsync(SpecLoader.Parse(spec, "s3.json"), CancellationToken.None);
    }

    /// <summary>Copies every data file of an S3 folder to the local disk (keeping Hive folders) for DuckDB to read.</summary>
    private async Task<string> DownloadAsync(string folder)
    {
        var target = Path.Combine(_local, Guid.NewGuid().ToString("N"));
        await foreach (var entry in S3.ListAsync(folder, recursive: true, CancellationToken.None))
        {
            var relative = S3.RelativePath(folder, entry.Path);
            var path = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, (await S3.ReadAllBytesAsync(entry.Path, CancellationToken.None))!);
        }
        return target;
    }

    private static List<string> Rows(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    [Fact]
    public async Task CsvOnS3_ToParquetOnS3_DuckDbReadsTheDeclaredTypes()
    {
        var bucket = await moto.NewBucketAsync();
        await S3.WriteAllBytesAsync($"{bucket}/in/orders.csv", Encoding.UTF8.GetBytes(Csv), CancellationToken.None);

        var result = await RunAsync($$"""{ "type": "csv", "path": "{{bucket}}/in/*.csv" }""", $$"""{ "type": "parquet", "path": "{{bucket}}/lake/orders" }""");

        Assert.True(result.Status == RunStatus.Succeeded, result.Error);
        var local = await DownloadAsync($"{bucket}/lake/orders");
        Assert.True(File.Exists(Path.Combine(local, "_SUCCESS")));
        Assert.False(Directory.Exists(Path.Combine(local, "_tmp")));
        Assert.Equal(["1|FR|10.50|BIGINT|DECIMAL(10,2)", "2|DE|20.00|BIGINT|DECIMAL(10,2)", "3|FR|30.25|BIGINT|DECIMAL(10,2)", "4|null|7.00|BIGINT|DECIMAL(10,2)"],
            Rows($"SELECT id, country, amount, typeof(id), typeof(amount) FROM read_parquet('{local}/*.parquet') ORDER BY id"));
    }

    [Fact]
    public async Task JsonArrayOnS3_LargerThanTheReadBuffer_StreamsEveryRecord()
    {
        var bucket = await moto.NewBucketAsync();
        const int Orders = 3000; // about 400 KB: more than one buffer of the json source
        var items = Enumerable.Range(1, Orders).Select(i => $$"""{"id": {{i}}, "country": "FR", "amount": 1.50, "note": "{{new string('x', 100)}}"}""");
        var json = $$"""{"meta": {"page": 1}, "data": [{{string.Join(",\n", items)}}], "next": null}""";
        await S3.WriteAllBytesAsync($"{bucket}/in/orders.json", Encoding.UTF8.GetBytes(json), CancellationToken.None);

        var result = await RunAsync($$"""{ "type": "json", "path": "{{bucket}}/in/orders.json", "recordPath": "data" }""",
            $$"""{ "type": "parquet", "path": "{{bucket}}/lake/orders" }""");

        Assert.True(result.Status == RunStatus.Succeeded, result.Error);
        var local = await DownloadAsync($"{bucket}/lake/orders");
        Assert.Equal([$"{Orders}|{Orders * (Orders + 1) / 2}|{Orders * 1.5m:F0}"],
            Rows($"SELECT count(*), sum(id), sum(amount) FROM read_parquet('{local}/*.parquet')"));
    }

    [Fact]
    public async Task CompressedCsvOnS3_GzipZstdAndPlainInOneFolder_ReadsEveryRow()
    {
        var bucket = await moto.NewBucketAsync();
        var more = string.Concat(Enumerable.Range(5, 3000).Select(i => $"{i},DE,1.00\n")); // past the sample: read in chunks
        await S3.WriteAllBytesAsync($"{bucket}/in/a.csv.gz", Compressed.Gzip(Encoding.UTF8.GetBytes(Csv + more)), CancellationToken.None);
        await S3.WriteAllBytesAsync($"{bucket}/in/b.csv.zst", Compressed.Zstd(Encoding.UTF8.GetBytes(Csv.Replace("\n1,", "\n9001,", StringComparison.Ordinal))), CancellationToken.None);
        await S3.WriteAllBytesAsync($"{bucket}/in/c.csv", Encoding.UTF8.GetBytes("id,country,amount\n9999,FR,1.00\n"), CancellationToken.None);

        var result = await RunAsync($$"""{ "type": "csv", "path": "{{bucket}}/in/" }""", $$"""{ "type": "parquet", "path": "{{bucket}}/lake/orders" }""");

        Assert.True(result.Status == RunStatus.Succeeded, result.Error);
        Assert.Equal(3004 + 4 + 1, result.Written);
        var local = await DownloadAsync($"{bucket}/lake/orders");
        Assert.Equal(["3009|30.25|9999"], Rows($"SELECT count(*), max(amount), max(id) FROM read_parquet('{local}/*.parquet')"));
    }

    [Fact]
    public async Task TruncatedGzipOnS3_FailsNamingTheObject()
    {
        var bucket = await moto.NewBucketAsync();
        var whole = Compressed.Gzip(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 5000).Select(i => $"{{\"id\": {i}}}\n"))));
        await S3.WriteAllBytesAsync($"{bucket}/in/orders.jsonl.gz", whole.AsMemory(0, whole.Length / 2), CancellationToken.None);

        var result = await RunAsync($$"""{ "type": "jsonl", "path": "{{bucket}}/in/orders.jsonl.gz" }""", $$"""{ "type": "parquet", "path": "{{bucket}}/lake/orders" }""");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.StartsWith($"{bucket}/in/orders.jsonl.gz: the gzip data ends early", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SinkOnS3_Partitioned_WritesHiveFoldersAndAManifestListingThem()
    {
        var bucket = await moto.NewBucketAsync();
        var input = Path.Combine(_local, "orders.csv");
        await File.WriteAllTextAsync(input, Csv);

        var result = await RunAsync($$"""{ "type": "csv", "path": "{{input}}" }""", $$"""{ "type": "parquet", "path": "{{bucket}}/lake/by_country", "partitionBy": ["country"] }""");

        Assert.True(result.Status == RunStatus.Succeeded, result.Error);
        var manifest = Encoding.UTF8.GetString((await S3.ReadAllBytesAsync($"{bucket}/lake/by_country/_manifest.json", CancellationToken.None))!);
        Assert.Contains("\"partition\": \"country=FR\"", manifest, StringComparison.Ordinal);
        var local = await DownloadAsync($"{bucket}/lake/by_country");
        Assert.Equal(["DE|1", "FR|2", "null|1"],
            Rows($"SELECT country, count(*) FROM read_parquet('{local}/*/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY country NULLS LAST"));
    }

    [Fact]
    public async Task ParquetOnS3_ChainedIntoAnotherS3Sink_ReadsOnlyTheCommittedFiles()
    {
        var bucket = await moto.NewBucketAsync();
        await S3.WriteAllBytesAsync($"{bucket}/in/orders.csv", Encoding.UTF8.GetBytes(Csv), CancellationToken.None);
        await RunAsync($$"""{ "type": "csv", "path": "{{bucket}}/in/orders.csv" }""", $$"""{ "type": "parquet", "path": "{{bucket}}/lake/a", "partitionBy": ["country"] }""");
        // A stray file that no manifest lists must not be read.
        await S3.WriteAllBytesAsync($"{bucket}/lake/a/country=FR/stray.parquet", new byte[] { 1, 2, 3 }, CancellationToken.None);

        var result = await RunAsync($$"""{ "type": "parquet", "path": "{{bucket}}/lake/a" }""", $$"""{ "type": "csv", "path": "{{bucket}}/lake/b" }""");

        Assert.True(result.Status == RunStatus.Succeeded, result.Error);
        Assert.Equal(4, result.Written);
        var local = await DownloadAsync($"{bucket}/lake/b");
        Assert.Equal(["1|10.50|FR", "2|20.00|DE", "3|30.25|FR", "4|7.00|null"],
            Rows($"SELECT id, amount, country FROM read_csv('{local}/*.csv', header = true, nullstr = '', all_varchar = true) ORDER BY id::INT"));
    }

    /// <summary>Runs a spec that pauses when it has written its first batch until <paramref name="other"/> has run whole.</summary>
    private static async Task<(RunResult Paused, RunResult Other)> WhileAnotherRunsAsync(string spec, Func<Task<RunResult>> other)
    {
        var (reached, release) = (new TaskCompletionSource(), new TaskCompletionSource());
        var options = new RunOptions { Checkpoint = async (point, _) => { if (point == "write") { reached.TrySetResult(); await release.Task; } } };
        var paused = new PipelineRunner(options).RunAsync(SpecLoader.Parse(spec, "s3.json"), CancellationToken.None);
        await reached.Task;
        var otherResult = await other();
        release.SetResult();
        return (await paused, otherResult);
    }

    private static string OrdersSpec(string input, string sink, string mode) => $$"""
        { "name": "s3", "source": { "type": "csv", "path": "{{input}}" },
          "schema": { "id": "int64 not null", "country": "string", "amount": "decimal(10,2)" },
          "sinks": [ { "type": "parquet", "path": "{{sink}}", "mode": "{{mode}}" } ] }
        """;

    [Fact]
    public async Task SinkOnS3_TwoRunsAppendingAtOnce_BothCommitsLand()
    {
        var sink = await moto.NewBucketAsync() + "/lake/orders";
        var input = Path.Combine(_local, "orders.csv");
        await File.WriteAllTextAsync(input, Csv);

        var (first, second) = await WhileAnotherRunsAsync(OrdersSpec(input, sink, "append"),
            () => new PipelineRunner().RunAsync(SpecLoader.Parse(OrdersSpec(input, sink, "append"), "s3.json"), CancellationToken.None));

        Assert.True(first.Status == RunStatus.Succeeded, first.Error);
        Assert.True(second.Status == RunStatus.Succeeded, second.Error);
        var local = await DownloadAsync(sink);
        Assert.Equal(["1|2", "2|2", "3|2", "4|2"], Rows($"SELECT id, count(*) FROM read_parquet('{local}/*.parquet') GROUP BY id ORDER BY id"));
    }

    [Fact]
    public async Task SinkOnS3_TwoRunsOverwritingAtOnce_TheFirstToCommitWinsAndTheOtherExitsFourNamingIt()
    {
        var sink = await moto.NewBucketAsync() + "/lake/orders";
        var input = Path.Combine(_local, "orders.csv");
        await File.WriteAllTextAsync(input, Csv);

        var (loser, winner) = await WhileAnotherRunsAsync(OrdersSpec(input, sink, "overwrite"),
            () => new PipelineRunner().RunAsync(SpecLoader.Parse(OrdersSpec(input, sink, "overwrite"), "s3.json"), CancellationToken.None));

        Assert.True(winner.Status == RunStatus.Succeeded, winner.Error);
        Assert.Equal((RunStatus.Conflict, 4), (loser.Status, loser.ExitCode));
        Assert.Contains($"run {winner.RunId} committed version 1 (overwrite", loser.Error, StringComparison.Ordinal);
        var local = await DownloadAsync(sink);
        Assert.Equal([$"{winner.RunId}|4"], Rows($"SELECT regexp_extract(filename, 'part-(.*)-0-', 1), count(*) FROM read_parquet('{local}/*.parquet', filename = true) GROUP BY ALL"));
    }

    public void Dispose() => Directory.Delete(_local, recursive: true);
}
