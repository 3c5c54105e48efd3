// The DuckDB side: runs SQL with DuckDB.NET (its default threads) in this process, and counts output rows for checks.
using DuckDB.NET.Data;

namespace Etl.Benchmarks.Baseline;

public static class DuckDbBaseline
{
    /// <summary>The `baseline-duckdb SQL` sub-command: what the harness starts as a separate, measured process.</summary>
    public static int Run(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var affected = command.ExecuteNonQuery();
        Console.WriteLine($"rows {affected}");
        return 0;
    }

    public static string Version()
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version()";
        return command.ExecuteScalar()?.ToString() ?? "?";
    }

    /// <summary>Rows of every Parquet file under a folder (or one file).</summary>
    public static long CountParquet(string path) =>
        Scalar($"SELECT count(*) FROM read_parquet({Literal(Glob(path, "*.parquet"))})");

    /// <summary>Rows of every CSV file (with a header line) under a folder (or one file).</summary>
    public static long CountCsv(string path) =>
        Scalar($"SELECT count(*) FROM read_csv({Literal(Glob(path, "*.csv"))}, header = true, all_varchar = true, quote = '\"', escape = '\"')");

    private static string Glob(string path, string pattern) =>
        Directory.Exists(path) ? Path.Combine(path, "**", pattern) : path;

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static long Scalar(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
