// The file scenarios: CSV → Parquet, NDJSON → Parquet with explode + select, CSV → CSV with a filter, and memory at N and 10N.
using System.Globalization;
using System.Text.Json.Nodes;
using Etl.Benchmarks.Baseline;
using Etl.Benchmarks.Data;
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Scenarios;

public static class FileScenarios
{
    /// <summary>CSV → Parquet and CSV → CSV with a filter: within this factor of DuckDB's wall time.</summary>
    public const double WallRatioTarget = 1.2;

    /// <summary>Nested NDJSON with explode + select: within this factor of DuckDB's read_json + unnest.</summary>
    public const double NestedWallRatioTarget = 2.0;

    /// <summary>A large JSON array, streamed: within this factor of DuckDB's read_json.</summary>
    public const double JsonArrayWallRatioTarget = 1.5;
    public const double PeakRssTargetMb = 300;
    public const double MemoryGrowthTarget = 1.2;

    private const string OrdersSchemaSql =
        "{'id': 'BIGINT', 'customer_id': 'BIGINT', 'customer_name': 'VARCHAR', 'country': 'VARCHAR', 'amount': 'DECIMAL(18,2)', " +
        "'status': 'VARCHAR', 'created_at': 'TIMESTAMPTZ', 'note': 'VARCHAR'}";

    private const string NestedOrdersSchemaSql =
        "{'id': 'BIGINT', 'customer': 'STRUCT(id BIGINT, name VARCHAR, country VARCHAR)', 'amount': 'DECIMAL(18,2)', 'status': 'VARCHAR', " +
        "'created_at': 'TIMESTAMPTZ', 'note': 'VARCHAR', 'items': 'STRUCT(sku VARCHAR, qty INTEGER, price DECIMAL(10,2))[]'}";

    public const string FilterWhere = "amount > 100 && status == \"paid\"";

    public static JsonObject OrdersSchema() => new()
    {
        ["id"] = "int64 not null",
        ["customer_id"] = "int64",
        ["customer_name"] = "string",
        ["country"] = "string",
        ["amount"] = "decimal(18,2)",
        ["status"] = "string",
        ["created_at"] = "timestamp",
        ["note"] = "string",
    };

    public static string OrdersCsv(BenchContext ctx, long rows) =>
        OrdersGenerator.Ensure(ctx.DataFolder, $"orders-{rows}.csv", ctx.Options.Seed, rows, OrdersGenerator.WriteCsv);

    public static string OrdersNdjson(BenchContext ctx, long rows) =>
        OrdersGenerator.Ensure(ctx.DataFolder, $"orders-{rows}.ndjson", ctx.Options.Seed, rows, OrdersGenerator.WriteNdjson);

    public static string ReadCsvSql(string csv) =>
        $"read_csv({DuckDbBaseline.Literal(csv)}, header = true, delim = ',', quote = '\"', escape = '\"', columns = {OrdersSchemaSql})";

    public static async Task<ScenarioResult> CsvToParquetAsync(BenchContext ctx)
    {
        var rows = ctx.Options.Rows;
        var (etl, duck) = await CsvToParquetRunsAsync(ctx, "csv-parquet", OrdersCsv(ctx, rows), rows);
        return new ScenarioResult
        {
            Id = "csv-parquet",
            Title = "CSV → Parquet, declared schema",
            Runs = [etl, duck],
            Targets =
            [
                WallRatio($"CSV → Parquet ({rows:N0} rows): wall ≤ {WallRatioTarget} × DuckDB", etl, duck),
                new TargetCheck($"CSV → Parquet ({rows:N0} rows): peak RSS ≤ {PeakRssTargetMb} MB",
                    etl.Ok ? $"{etl.Measurement!.PeakRssMb:F0} MB" : "n/a", etl.Ok ? etl.Measurement!.PeakRssMb <= PeakRssTargetMb : null),
            ],
        };
    }

    public static async Task<ScenarioResult> MemoryAsync(BenchContext ctx)
    {
        var n = ctx.Options.MemoryRows;
        var (etlSmall, duckSmall) = await CsvToParquetRunsAsync(ctx, "memory-n", OrdersCsv(ctx, n), n);
        var (etlLarge, duckLarge) = await CsvToParquetRunsAsync(ctx, "memory-10n", OrdersCsv(ctx, n * 10), n * 10);
        static string Label(RunnerResult r, long rows) => $"{r.Runner} ({rows:N0} rows)";
        TargetCheck growth;
        if (etlSmall.Ok && etlLarge.Ok)
        {
            var ratio = etlLarge.Measurement!.PeakRssBytes / (double)etlSmall.Measurement!.PeakRssBytes;
            var duckRatio = duckSmall.Ok && duckLarge.Ok ? duckLarge.Measurement!.PeakRssBytes / (double)duckSmall.Measurement!.PeakRssBytes : double.NaN;
            growth = new TargetCheck($"memory: peak RSS at {n * 10:N0} rows ≤ {MemoryGrowthTarget} × at {n:N0} rows",
                $"{ratio:F2}× ({etlSmall.Measurement.PeakRssMb:F0} → {etlLarge.Measurement.PeakRssMb:F0} MB; DuckDB {duckRatio:F2}×)", ratio <= MemoryGrowthTarget);
        }
        else
        {
            growth = new TargetCheck($"memory: peak RSS at {n * 10:N0} rows ≤ {MemoryGrowthTarget} × at {n:N0} rows", "n/a", null);
        }
        return new ScenarioResult
        {
            Id = "memory",
            Title = "Memory: CSV → Parquet at N and 10 N rows",
            Runs =
            [
                etlSmall with { Runner = Label(etlSmall, n) }, duckSmall with { Runner = Label(duckSmall, n) },
                etlLarge with { Runner = Label(etlLarge, n * 10) }, duckLarge with { Runner = Label(duckLarge, n * 10) },
            ],
            Targets = [growth],
        };
    }

    private static async Task<(RunnerResult Etl, RunnerResult Duck)> CsvToParquetRunsAsync(BenchContext ctx, string id, string csv, long rows)
    {
        var etlOut = Path.Combine(ctx.OutputFolder, id, "etl");
        var spec = ctx.WriteSpec($"{id}", new JsonObject
        {
            ["name"] = $"bench-{id}",
            ["description"] = "Benchmark: the generated orders CSV to snappy Parquet with a declared schema.",
            ["source"] = new JsonObject { ["type"] = "csv", ["path"] = csv, ["header"] = true },
            ["schema"] = OrdersSchema(),
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = etlOut, ["compression"] = "snappy" }),
        });
        var etl = await RunEtlAsync(ctx, id, spec, rows, DuckDbBaseline.CountParquet);
        var sql = $"COPY (SELECT * FROM {ReadCsvSql(csv)}) TO {{out}} (FORMAT parquet, COMPRESSION snappy)";
        var duck = await RunDuckAsync(ctx, id, sql, "orders.parquet", rows, DuckDbBaseline.CountParquet);
        return (etl, duck);
    }

    public static async Task<ScenarioResult> NdjsonToParquetAsync(BenchContext ctx)
    {
        const string id = "ndjson-parquet";
        var rows = ctx.Options.JsonRows;
        var ndjson = OrdersNdjson(ctx, rows);
        var etlOut = Path.Combine(ctx.OutputFolder, id, "etl");
        var spec = ctx.WriteSpec(id, new JsonObject
        {
            ["name"] = "bench-ndjson-parquet",
            ["description"] = "Benchmark: nested orders NDJSON, one row per item (explode), selected columns, to snappy Parquet.",
            ["source"] = new JsonObject { ["type"] = "jsonl", ["path"] = ndjson },
            ["transforms"] = new JsonArray(
                new JsonObject { ["type"] = "explode", ["path"] = "items", ["as"] = "item" },
                new JsonObject
                {
                    ["type"] = "select",
                    ["columns"] = new JsonObject
                    {
                        ["order_id"] = "id",
                        ["customer"] = "customer.name",
                        ["country"] = "customer.country",
                        ["created_at"] = "created_at",
                        ["sku"] = "item.sku",
                        ["qty"] = "item.qty",
                        ["price"] = "item.price",
                    },
                }),
            ["schema"] = new JsonObject
            {
                ["order_id"] = "int64 not null",
                ["customer"] = "string",
                ["country"] = "string",
                ["created_at"] = "timestamp",
                ["sku"] = "string",
                ["qty"] = "int32",
                ["price"] = "decimal(10,2)",
            },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = etlOut, ["compression"] = "snappy" }),
        });
        var etl = await RunEtlAsync(ctx, id, spec, rows, DuckDbBaseline.CountParquet);
        var sql =
            "COPY (SELECT id AS order_id, customer.name AS customer, customer.country AS country, created_at, " +
            "item.sku AS sku, item.qty AS qty, item.price AS price FROM (SELECT id, customer, created_at, unnest(items) AS item " +
            $"FROM read_json({DuckDbBaseline.Literal(ndjson)}, format = 'newline_delimited', columns = {NestedOrdersSchemaSql}))) " +
            "TO {out} (FORMAT parquet, COMPRESSION snappy)";
        var duck = await RunDuckAsync(ctx, id, sql, "items.parquet", rows, DuckDbBaseline.CountParquet);
        return new ScenarioResult
        {
            Id = id,
            Title = "NDJSON (nested) → Parquet, explode + select",
            Runs = [etl with { Unit = "orders" }, duck with { Unit = "orders" }],
            Targets =
            [
                WallRatio($"NDJSON → Parquet ({rows:N0} orders): wall ≤ {NestedWallRatioTarget} × DuckDB read_json + unnest", etl, duck, NestedWallRatioTarget),
                new TargetCheck($"NDJSON → Parquet ({rows:N0} orders): peak RSS ≤ {PeakRssTargetMb} MB",
                    etl.Ok ? $"{etl.Measurement!.PeakRssMb:F0} MB" : "n/a", etl.Ok ? etl.Measurement!.PeakRssMb <= PeakRssTargetMb : null),
            ],
        };
    }

    public static async Task<ScenarioResult> CsvFilterAsync(BenchContext ctx)
    {
        const string id = "csv-filter";
        var rows = ctx.Options.Rows;
        var csv = OrdersCsv(ctx, rows);
        var etlOut = Path.Combine(ctx.OutputFolder, id, "etl");
        var spec = ctx.WriteSpec(id, new JsonObject
        {
            ["name"] = "bench-csv-filter",
            ["description"] = "Benchmark: the generated orders CSV, paid orders above 100, to CSV.",
            ["source"] = new JsonObject { ["type"] = "csv", ["path"] = csv, ["header"] = true },
            ["transforms"] = new JsonArray(new JsonObject { ["type"] = "filter", ["where"] = FilterWhere }),
            ["schema"] = OrdersSchema(),
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "csv", ["path"] = etlOut }),
        });
        var etl = await RunEtlAsync(ctx, id, spec, rows, DuckDbBaseline.CountCsv);
        var sql = $"COPY (SELECT * FROM {ReadCsvSql(csv)} WHERE amount > 100 AND status = 'paid') TO {{out}} (FORMAT csv, HEADER true)";
        var duck = await RunDuckAsync(ctx, id, sql, "orders.csv", rows, DuckDbBaseline.CountCsv);
        return new ScenarioResult
        {
            Id = id,
            Title = "CSV → CSV with filter",
            Runs = [etl, duck],
            Targets = [WallRatio($"CSV → CSV filter ({rows:N0} rows): wall ≤ {WallRatioTarget} × DuckDB", etl, duck)],
        };
    }

    public static TargetCheck WallRatio(string target, RunnerResult etl, RunnerResult baseline, double limit = WallRatioTarget)
    {
        if (!etl.Ok || !baseline.Ok)
        {
            return new TargetCheck(target, "n/a", null);
        }
        var ratio = etl.Measurement!.Wall / baseline.Measurement!.Wall;
        return new TargetCheck(target, $"{ratio:F2}× ({etl.Measurement.Wall.TotalSeconds:F2} s vs {baseline.Measurement.Wall.TotalSeconds:F2} s)", ratio <= limit);
    }

    internal static async Task<RunnerResult> RunEtlAsync(BenchContext ctx, string id, string spec, long rows, Func<string, long> count)
    {
        var output = Path.Combine(ctx.OutputFolder, id, "etl");
        var measured = await ctx.RepeatAsync(async () =>
        {
            ctx.FreshOutput(id, "etl");
            BenchContext.Log($"{id}: etl run {Path.GetFileName(spec)}");
            var m = await ctx.RunEtlAsync(["run", spec, "--progress", "none", "--quiet"]);
            BenchContext.Log($"  {Describe(m)}");
            return m;
        }, m => m.ExitCode == 0 ? m.Wall : null);
        return Finish(ctx, "etl", rows, measured, output, count);
    }

    internal static async Task<RunnerResult> RunDuckAsync(BenchContext ctx, string id, string sqlWithOut, string fileName, long rows, Func<string, long> count)
    {
        var output = Path.Combine(ctx.OutputFolder, id, "duckdb");
        var sql = sqlWithOut.Replace("{out}", DuckDbBaseline.Literal(Path.Combine(output, fileName)), StringComparison.Ordinal);
        var measured = await ctx.RepeatAsync(async () =>
        {
            ctx.FreshOutput(id, "duckdb");
            BenchContext.Log($"{id}: DuckDB");
            var m = await ctx.RunDuckDbAsync(sql);
            BenchContext.Log($"  {Describe(m)}");
            return m;
        }, m => m.ExitCode == 0 ? m.Wall : null);
        return Finish(ctx, "DuckDB", rows, measured, output, count);
    }

    private static RunnerResult Finish(BenchContext ctx, string runner, long rows, Measurement m, string output, Func<string, long> count)
    {
        long? outRows = null;
        string? problem = null;
        if (m.ExitCode != 0)
        {
            problem = $"exit code {m.ExitCode}: {FirstLines(m.Stderr + m.Stdout)}";
        }
        else
        {
            try
            {
                outRows = count(output);
            }
            catch (Exception e) when (e is DuckDB.NET.Data.DuckDBException or IOException)
            {
                problem = $"output unreadable: {e.Message}";
            }
        }
        ctx.DropOutput(output);
        return new RunnerResult { Runner = runner, Items = rows, Unit = "rows", Measurement = m, OutputRows = outRows, Problem = problem };
    }

    public static string Describe(Measurement m) => string.Create(CultureInfo.InvariantCulture,
        $"exit {m.ExitCode}, wall {m.Wall.TotalSeconds:F2} s, CPU {m.Cpu.TotalSeconds:F2} s, peak RSS {m.PeakRssMb:F0} MB");

    public static string FirstLines(string text, int lines = 3) =>
        string.Join(" / ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(lines));
}
