// One DuckDB connection for a whole snapshot (opening one per query cost more than the queries); values as text, as
// TestSupport/DuckDb.cs gives them.
using DuckDB.NET.Data;

namespace Etl.Cli.Tests.Golden;

public sealed class GoldenDuckDb : IDisposable
{
    private readonly DuckDBConnection _connection = new("DataSource=:memory:");

    public GoldenDuckDb()
    {
        _connection.Open();
        // Timestamps with time zone print in UTC whatever the machine's zone.
        Execute("SET TimeZone = 'UTC'");
    }

    public void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Each row of <paramref name="sql"/> as its values cast to VARCHAR by DuckDB joined by '|', null as NULL.</summary>
    public List<string> Strings(string sql) => Query($"SELECT COLUMNS(*)::VARCHAR FROM ({sql})", r =>
        string.Join('|', Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "NULL" : r.GetString(i))));

    /// <summary>"name TYPE" of each column of <paramref name="table"/>, in order.</summary>
    public List<string> Describe(string table) => Query($"DESCRIBE (SELECT * FROM {table})", r => $"{r.GetString(0)} {r.GetString(1)}");

    private List<string> Query(string sql, Func<DuckDBDataReader, string> row)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = (DuckDBDataReader)command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(row(reader));
        }
        return rows;
    }

    public void Dispose() => _connection.Dispose();
}
