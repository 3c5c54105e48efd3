// The JSON-array scenario: one large array of nested orders to Parquet, etl's streamed json source beside DuckDB read_json.
using System.Globalization;
using System.Text.Json.Nodes;
using Etl.Benchmarks.Baseline;
using Etl.Benchmarks.Data;

namespace Etl.Benchmarks.Scenarios;

public static class JsonArrayScenario
{
    public const string Id = "json-array";

    /// <summary>The array is streamed, so peak RSS stays well below the file: at most this fraction of its size (or the
    /// file-scenario ceiling, whichever is larger, for small files).</summary>
    public const double PeakRssOfFileTarget = 0.25;

    private const string FlatSql =
        "SELECT id, customer.name AS customer, customer.country AS country, amount, status, created_at, note";

    private const string ColumnsSql =
        "{'id': 'BIGINT', 'customer': 'STRUCT(id BIGINT, name VARCHAR, country VARCHAR)', 'amount': 'DECIMAL(18,2)', 'status': 'VARCHAR', " +
        "'created_at': 'TIMESTAMPTZ', 'note': 'VARCHAR', 'items': 'STRUCT(sku VARCHAR, qty INTEGER, price DECIMAL(10,2))[]'}";

    /// <summary>The generated array of about <paramref name="megabytes"/> MB and the orders it holds (cached between runs).</summary>
    public static (string Path, long Orders) Generate(BenchContext ctx, long megabytes)
    {
        var path = OrdersGenerator.Ensure(ctx.DataFolder, $"orders-array-{megabytes}mb.json", ctx.Options.Seed, megabytes,
            (file, seed, mb) => File.WriteAllText(file + ".orders", OrdersGenerator.WriteJsonArray(file, seed, mb).ToString(CultureInfo.InvariantCulture)), "MB");
        return (path, long.Parse(File.ReadAllText(path + ".orders"), CultureInfo.InvariantCulture));
    }

    public static async Task<ScenarioResult> RunAsync(BenchContext ctx)
    {
        var megabytes = ctx.Options.JsonArrayMb;
        var (json, orders) = Generate(ctx, megabytes);
        var fileMb = new FileInfo(json).Length / (1024.0 * 1024.0);
        var etlOut = Path.Combine(ctx.OutputFolder, Id, "etl");
        var spec = ctx.WriteSpec(Id, new JsonObject
        {
            ["name"] = "bench-json-array",
            ["description"] = "Benchmark: one large JSON array of nested orders, flattened by select, to snappy Parquet.",
            ["source"] = new JsonObject { ["type"] = "json", ["path"] = json },
            ["transforms"] = new JsonArray(new JsonObject
            {
                ["type"] = "select",
                ["columns"] = new JsonObject
                {
                    ["id"] = "id",
                    ["customer"] = "customer.name",
                    ["country"] = "customer.country",
                    ["amount"] = "amount",
                    ["status"] = "status",
                    ["created_at"] = "created_at",
                    ["note"] = "note",
                },
            }),
            ["schema"] = new JsonObject
            {
                ["id"] = "int64 not null",
                ["customer"] = "string",
                ["country"] = "string",
                ["amount"] = "decimal(18,2)",
                ["status"] = "string",
                ["created_at"] = "timestamp",
                ["note"] = "string",
            },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = etlOut, ["compression"] = "snappy" }),
        });
        var etl = await FileScenarios.RunEtlAsync(ctx, Id, spec, orders, DuckDbBaseline.CountParquet);
        var sql = $"COPY ({FlatSql} FROM read_json({DuckDbBaseline.Literal(json)}, format = 'array', columns = {ColumnsSql})) " +
                  "TO {out} (FORMAT parquet, COMPRESSION snappy)";
        var duck = await FileScenarios.RunDuckAsync(ctx, Id, sql, "orders.parquet", orders, DuckDbBaseline.CountParquet);
        var ceiling = Math.Max(FileScenarios.PeakRssTargetMb, PeakRssOfFileTarget * fileMb);
        return new ScenarioResult
        {
            Id = Id,
            Title = $"JSON array ({fileMb:F0} MB) → Parquet, select",
            Runs = [etl with { Unit = "orders" }, duck with { Unit = "orders" }],
            Targets =
            [
                FileScenarios.WallRatio($"JSON array → Parquet ({fileMb:F0} MB, {orders:N0} orders): wall ≤ {FileScenarios.JsonArrayWallRatioTarget} × DuckDB read_json", etl, duck, FileScenarios.JsonArrayWallRatioTarget),
                new TargetCheck($"JSON array → Parquet ({fileMb:F0} MB): peak RSS ≤ {ceiling:F0} MB (flat in the file size)",
                    etl.Ok ? string.Create(CultureInfo.InvariantCulture, $"{etl.Measurement!.PeakRssMb:F0} MB (DuckDB {(duck.Ok ? duck.Measurement!.PeakRssMb.ToString("F0", CultureInfo.InvariantCulture) : "n/a")} MB)") : "n/a",
                    etl.Ok ? etl.Measurement!.PeakRssMb <= ceiling : null),
            ],
        };
    }
}
