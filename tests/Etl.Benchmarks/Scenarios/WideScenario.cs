// The wide scenario: a CSV of 500 columns with inferred types to Parquet, side by side with DuckDB read_csv.
using System.Text.Json.Nodes;
using Etl.Benchmarks.Baseline;
using Etl.Benchmarks.Data;

namespace Etl.Benchmarks.Scenarios;

public static class WideScenario
{
    public const string Id = "csv-wide";

    /// <summary>Rows of the wide file: 50,000 rows of 500 columns is about 90 MB.</summary>
    public const long Rows = 50_000;

    public static string WideCsv(BenchContext ctx) =>
        OrdersGenerator.Ensure(ctx.DataFolder, $"wide-{WideGenerator.Columns}x{Rows}.csv", ctx.Options.Seed, Rows, WideGenerator.WriteCsv, "rows");

    public static async Task<ScenarioResult> RunAsync(BenchContext ctx)
    {
        var csv = WideCsv(ctx);
        var etlOut = Path.Combine(ctx.OutputFolder, Id, "etl");
        var spec = ctx.WriteSpec(Id, new JsonObject
        {
            ["name"] = "bench-csv-wide",
            ["description"] = "Benchmark: a CSV of 500 columns, types inferred, to snappy Parquet.",
            ["source"] = new JsonObject { ["type"] = "csv", ["path"] = csv, ["header"] = true },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = etlOut, ["compression"] = "snappy" }),
        });
        var etl = await FileScenarios.RunEtlAsync(ctx, Id, spec, Rows, DuckDbBaseline.CountParquet);
        var sql = $"COPY (SELECT * FROM read_csv({DuckDbBaseline.Literal(csv)}, header = true)) TO {{out}} (FORMAT parquet, COMPRESSION snappy)";
        var duck = await FileScenarios.RunDuckAsync(ctx, Id, sql, "wide.parquet", Rows, DuckDbBaseline.CountParquet);
        return new ScenarioResult
        {
            Id = Id,
            Title = $"Wide CSV ({WideGenerator.Columns} columns, inferred types) → Parquet",
            Runs = [etl, duck],
            Targets =
            [
                FileScenarios.WallRatio($"wide CSV → Parquet ({Rows:N0} rows × {WideGenerator.Columns} columns): wall ≤ {FileScenarios.WallRatioTarget} × DuckDB", etl, duck),
                new TargetCheck($"wide CSV → Parquet: peak RSS ≤ {FileScenarios.PeakRssTargetMb} MB",
                    etl.Ok ? $"{etl.Measurement!.PeakRssMb:F0} MB" : "n/a", etl.Ok ? etl.Measurement!.PeakRssMb <= FileScenarios.PeakRssTargetMb : null),
            ],
        };
    }
}
