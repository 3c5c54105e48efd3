// The partitions scenario: the orders CSV into 20,000 Hive partitions, etl's partitionBy against DuckDB's COPY … PARTITION_BY.
using System.Text.Json.Nodes;
using Etl.Benchmarks.Baseline;
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Scenarios;

public static class PartitionScenarios
{
    public const int Partitions = 20_000;

    public const double WallRatioTarget = 0.5;

    public const double PeakRssTargetMb = 300;

    /// <summary>Both sides partition by the same derived column: customer_id modulo 20,000.</summary>
    private const string BucketSql = "customer_id % 20000";

    public static async Task<ScenarioResult> TwentyThousandPartitionsAsync(BenchContext ctx)
    {
        const string id = "partitions";
        var rows = ctx.Options.MemoryRows;
        var csv = FileScenarios.OrdersCsv(ctx, rows);
        var spec = ctx.WriteSpec(id, new JsonObject
        {
            ["name"] = "bench-partitions",
            ["description"] = $"Benchmark: the generated orders CSV into {Partitions:N0} Hive partitions (customer_id % {Partitions}), snappy Parquet.",
            ["source"] = new JsonObject { ["type"] = "csv", ["path"] = csv, ["header"] = true },
            ["transforms"] = new JsonArray(new JsonObject { ["type"] = "derive", ["column"] = "bucket", ["expression"] = BucketSql }),
            ["schema"] = new JsonObject
            {
                ["id"] = "int64 not null",
                ["customer_id"] = "int64",
                ["customer_name"] = "string",
                ["country"] = "string",
                ["amount"] = "decimal(18,2)",
                ["status"] = "string",
                ["created_at"] = "timestamp",
                ["note"] = "string",
                ["bucket"] = "int64",
            },
            ["sinks"] = new JsonArray(new JsonObject
            {
                ["type"] = "parquet",
                ["path"] = Path.Combine(ctx.OutputFolder, id, "etl"),
                ["compression"] = "snappy",
                ["partitionBy"] = new JsonArray("bucket"),
            }),
        });
        var etl = await MeasureAsync(ctx, id, "etl", rows, () => ctx.RunEtlAsync(["run", spec, "--progress", "none", "--quiet"]));
        var sql =
            $"COPY (SELECT *, {BucketSql} AS bucket FROM read_csv({DuckDbBaseline.Literal(csv)}, header = true, delim = ',', quote = '\"', escape = '\"')) " +
            $"TO {DuckDbBaseline.Literal(Path.Combine(ctx.OutputFolder, id, "duckdb"))} (FORMAT parquet, COMPRESSION snappy, PARTITION_BY (bucket))";
        var duck = await MeasureAsync(ctx, id, "DuckDB", rows, () => ctx.RunDuckDbAsync(sql));
        return new ScenarioResult
        {
            Id = id,
            Title = $"CSV → Parquet into {Partitions:N0} partitions",
            Runs = [etl.Result, duck.Result],
            Targets =
            [
                WallRatio($"{Partitions:N0} partitions ({rows:N0} rows): wall ≤ {WallRatioTarget} × DuckDB PARTITION_BY", etl.Result, duck.Result),
                new TargetCheck($"{Partitions:N0} partitions: peak RSS ≤ {PeakRssTargetMb} MB (DuckDB: see its row)",
                    etl.Result.Ok ? $"{etl.Result.Measurement!.PeakRssMb:F0} MB" : "n/a", etl.Result.Ok ? etl.Result.Measurement!.PeakRssMb <= PeakRssTargetMb : null),
                new TargetCheck($"{Partitions:N0} partitions: files = partitions",
                    $"etl {etl.Files:N0} files, DuckDB {duck.Files:N0} files", etl.Result.Ok ? etl.Files == Partitions : null),
            ],
        };
    }

    private static TargetCheck WallRatio(string target, RunnerResult etl, RunnerResult duck)
    {
        if (!etl.Ok || !duck.Ok)
        {
            return new TargetCheck(target, "n/a", null);
        }
        var ratio = etl.Measurement!.Wall / duck.Measurement!.Wall;
        return new TargetCheck(target, $"{ratio:F2}× ({etl.Measurement.Wall.TotalSeconds:F2} s vs {duck.Measurement.Wall.TotalSeconds:F2} s)", ratio <= WallRatioTarget);
    }

    private static async Task<(RunnerResult Result, long Files)> MeasureAsync(BenchContext ctx, string id, string runner, long rows, Func<Task<Measurement>> run)
    {
        var folder = runner == "etl" ? "etl" : "duckdb";
        var output = Path.Combine(ctx.OutputFolder, id, folder);
        var m = await ctx.RepeatAsync(async () =>
        {
            ctx.FreshOutput(id, folder);
            BenchContext.Log($"{id}: {runner}");
            var measured = await run();
            BenchContext.Log($"  {FileScenarios.Describe(measured)}");
            return measured;
        }, x => x.ExitCode == 0 ? x.Wall : null);
        long files = 0;
        long? outRows = null;
        string? problem = m.ExitCode == 0 ? null : $"exit code {m.ExitCode}: {FileScenarios.FirstLines(m.Stderr + m.Stdout)}";
        if (problem is null)
        {
            // Data files only: etl's bookkeeping (_manifest.json, _SUCCESS) is not counted.
            files = Directory.EnumerateFiles(output, "*.parquet", SearchOption.AllDirectories).LongCount();
            outRows = DuckDbBaseline.CountParquet(output);
        }
        ctx.DropOutput(output);
        return (new RunnerResult { Runner = runner, Items = rows, Unit = "rows", Measurement = m, OutputRows = outRows, Problem = problem }, files);
    }
}
