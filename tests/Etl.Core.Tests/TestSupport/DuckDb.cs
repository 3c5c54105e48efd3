// DuckDB as the independent reader of what the engine wrote (rows as text, column types, scalars) and writer of inputs.
using System.Globalization;
using DuckDB.NET.Data;

namespace Etl.Core.Tests.TestSupport;

public static class DuckDb
{
    /// <summary>A FROM clause reading every Parquet file below <paramref name="folder"/>, Hive partition folders as columns.</summary>
    public static string Parquet(string folder) =>
        $"read_parquet({Quote(Path.Combine(folder, "**", "*.parquet"))}, hive_partitioning = true)";

    /// <summary>The rows of <paramref name="sql"/> with every value cast to VARCHAR by DuckDB (null stays null),
    /// so decimals keep their scale and timestamps their zone.</summary>
    public static List<string?[]> Rows(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COLUMNS(*)::VARCHAR FROM ({sql})";
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>One column of <paramref name="sql"/>'s rows as text, in the order DuckDB returns them.</summary>
    public static List<string?> Column(string sql) => [.. Rows(sql).Select(r => r[0])];

    /// <summary>Column name → DuckDB type of <paramref name="sql"/>, in column order.</summary>
    public static List<(string Name, string Type)> Describe(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE {sql}";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, string)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }
        return columns;
    }

    /// <summary>Runs a statement, such as a COPY that writes a test input in a format DuckDB writes independently of the engine.</summary>
    public static void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static string? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
    }

    public static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        // Timestamps with time zone print in UTC whatever the machine's zone.
        command.CommandText = "SET TimeZone = 'UTC'";
        command.ExecuteNonQuery();
        return connection;
    }
}
