// Many small files: a folder of 10,000 CSV files of 10 orders each to Parquet, etl beside DuckDB read_csv over the glob.
using System.Globalization;
using System.Text.Json.Nodes;
using Etl.Benchmarks.Baseline;
using Etl.Benchmarks.Data;

namespace Etl.Benchmarks.Scenarios;

public static class SmallFilesScenario
{
    public const string Id = "csv-small-files";
    public const int Files = 10_000;
    public const int RowsPerFile = 10;

    /// <summary>Etl reads many small files faster than DuckDB (per-file start-up is small): keep that lead.</summary>
    public const double WallRatioTarget = 1.0;

    /// <summary>The folder of generated files (cached between runs).</summary>
    public static string Generate(BenchContext ctx)
    {
        var folder = Path.Combine(ctx.DataFolder, $"small-csv-{Files}x{RowsPerFile}");
        var marker = Path.Combine(ctx.DataFolder, $"small-csv-{Files}x{RowsPerFile}.done");
        var stamp = $"seed={ctx.Options.Seed}";
        if (File.Exists(marker) && File.ReadAllText(marker) == stamp)
        {
            return folder;
        }
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, true);
        }
        Directory.CreateDirectory(folder);
        Console.Error.WriteLine($"generating {folder} ({Files:N0} files of {RowsPerFile} orders)…");
        for (var i = 0; i < Files; i++)
        {
            OrdersGenerator.WriteCsv(Path.Combine(folder, $"orders-{i:D5}.csv"), ctx.Options.Seed + i, RowsPerFile);
        }
        File.WriteAllText(marker, stamp);
        return folder;
    }

    public static async Task<ScenarioResult> RunAsync(BenchContext ctx)
    {
        var folder = Generate(ctx);
        const long rows = (long)Files * RowsPerFile;
        var etlOut = Path.Combine(ctx.OutputFolder, Id, "etl");
        var spec = ctx.WriteSpec(Id, new JsonObject
        {
            ["name"] = "bench-csv-small-files",
            ["description"] = "Benchmark: 10,000 small orders CSV files to snappy Parquet with a declared schema.",
            ["source"] = new JsonObject { ["type"] = "csv", ["path"] = Path.Combine(folder, "*.csv"), ["header"] = true },
            ["schema"] = FileScenarios.OrdersSchema(),
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = etlOut, ["compression"] = "snappy" }),
        });
        var etl = await FileScenarios.RunEtlAsync(ctx, Id, spec, rows, DuckDbBaseline.CountParquet);
        var sql = $"COPY (SELECT * FROM {FileScenarios.ReadCsvSql(Path.Combine(folder, "*.csv"))}) TO {{out}} (FORMAT parquet, COMPRESSION snappy)";
        var duck = await FileScenarios.RunDuckAsync(ctx, Id, sql, "orders.parquet", rows, DuckDbBaseline.CountParquet);
        return new ScenarioResult
        {
            Id = Id,
            Title = string.Create(CultureInfo.InvariantCulture, $"{Files:N0} small CSV files → Parquet"),
            Runs = [etl, duck],
            Targets = [FileScenarios.WallRatio($"{Files:N0} CSV files of {RowsPerFile} rows: wall ≤ {WallRatioTarget} × DuckDB (keep the lead)", etl, duck, WallRatioTarget)],
        };
    }
}
