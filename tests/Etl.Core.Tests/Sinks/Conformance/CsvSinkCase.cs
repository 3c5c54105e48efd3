// The CSV sink under the conformance suite: DuckDB parses each field as the declared type, so a value written in a
// form DuckDB cannot read as that type fails the suite.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Records;

namespace Etl.Core.Tests.Sinks.Conformance;

public sealed class CsvSinkCase : ISinkCase
{
    public string Type => "csv";

    public string Extension => ".csv";

    public string Sink(string path, string options) =>
        $$"""{ "type": "csv", "path": {{JsonSerializer.Serialize(path)}}{{(options.Length == 0 ? "" : ", " + options)}} }""";

    public string Read(IReadOnlyList<string> files, TableSchema schema, bool hive) =>
        $"read_csv([{string.Join(", ", files.Select(DuckDb.Quote))}], header = true, auto_detect = false, " +
        $"columns = {{{string.Join(", ", schema.Columns.Select(c => $"{DuckDb.Quote(c.Name)}: '{DuckDbType(c.Type)}'"))}}}, " +
        $"hive_partitioning = {(hive ? "true" : "false")})";

    private static string DuckDbType(ColumnType type) => type.Kind switch
    {
        ColumnKind.String => "VARCHAR",
        ColumnKind.Bool => "BOOLEAN",
        ColumnKind.Int32 => "INTEGER",
        ColumnKind.Int64 => "BIGINT",
        ColumnKind.Double => "DOUBLE",
        ColumnKind.Decimal => $"DECIMAL({type.Precision},{type.Scale})",
        ColumnKind.Date => "DATE",
        ColumnKind.Timestamp => "TIMESTAMPTZ",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no DuckDB type for this column type"),
    };
}
