// The Parquet sink under the conformance suite: DuckDB reads the types from the files themselves.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Records;

namespace Etl.Core.Tests.Sinks.Conformance;

public sealed class ParquetSinkCase : ISinkCase
{
    public string Type => "parquet";

    public string Extension => ".snappy.parquet";

    public string Sink(string path, string options) =>
        $$"""{ "type": "parquet", "path": {{JsonSerializer.Serialize(path)}}{{(options.Length == 0 ? "" : ", " + options)}} }""";

    // The schema is not passed on: a Parquet file carries its own, which is what the suite checks.
    public string Read(IReadOnlyList<string> files, TableSchema schema, bool hive) =>
        $"read_parquet([{string.Join(", ", files.Select(DuckDb.Quote))}], hive_partitioning = {(hive ? "true" : "false")})";
}
