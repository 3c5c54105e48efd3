// Each declared column type lands in Parquet as the DuckDB type a user expects, with the exact values and nulls.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class ColumnTypeTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Schema = """
        "schema": {
          "s": "string", "b": "bool", "i32": "int32", "i64": "int64", "d": "double",
          "m18": "decimal(18,2)", "m38": "decimal(38,9)", "dt": "date", "ts": "timestamp", "req": "int64 not null"
        },
        """;

    private async Task<CliResult> RunTypesAsync(string csv)
    {
        _folder.Write("in/types.csv", csv);
        var spec = _folder.Write("types.json", $$"""
            {
              "name": "types",
              "source": { "type": "csv", "path": {{_folder.Json("in/types.csv")}} },
              {{Schema}}
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/types")}} } ]
            }
            """);
        return await EtlCli.RunOkAsync("run", spec);
    }

    private string Lake => DuckDb.Parquet(_folder.PathOf("lake/types"));

    [Fact]
    public async Task ParquetSink_EachDeclaredType_HasTheExpectedDuckDbType()
    {
        await RunTypesAsync("s,b,i32,i64,d,m18,m38,dt,ts,req\nx,true,1,2,1.5,1.25,1.5,2026-11-28,2026-11-28T10:00:00Z,1\n");

        var types = DuckDb.Describe($"SELECT * FROM {Lake}");

        (string, string)[] expected =
        [
            ("s", "VARCHAR"), ("b", "BOOLEAN"), ("i32", "INTEGER"), ("i64", "BIGINT"), ("d", "DOUBLE"),
            ("m18", "DECIMAL(18,2)"), ("m38", "DECIMAL(38,9)"), ("dt", "DATE"), ("ts", "TIMESTAMP WITH TIME ZONE"), ("req", "BIGINT"),
        ];
        Assert.Equal(expected, types);
    }

    [Fact]
    public async Task ParquetSink_ExtremeValuesOfEachType_AreExact()
    {
        await RunTypesAsync(
            "s,b,i32,i64,d,m18,m38,dt,ts,req\n" +
            "Zoë 東京,true,2147483647,9223372036854775807,0.1,9999999999999999.99,12345678901234567890.123456789,2026-11-28,2026-11-28T13:45:30.123456Z,1\n" +
            "\" padded \",false,-2147483648,-9223372036854775808,-1.5E+300,-0.01,-0.000000001,1970-01-01,2026-11-28T15:45:30+02:00,2\n");

        var rows = DuckDb.Rows($"SELECT * FROM {Lake} ORDER BY req");

        string?[][] expected =
        [
            ["Zoë 東京", "true", "2147483647", "9223372036854775807", "0.1", "9999999999999999.99", "12345678901234567890.123456789", "2026-11-28", "2026-11-28 13:45:30.123456+00", "1"],
            [" padded ", "false", "-2147483648", "-9223372036854775808", "-1.5e+300", "-0.01", "-0.000000001", "1970-01-01", "2026-11-28 13:45:30+00", "2"],
        ];
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task ParquetSink_EmptyFieldsInNullableColumns_AreNull()
    {
        await RunTypesAsync("s,b,i32,i64,d,m18,m38,dt,ts,req\n,,,,,,,,,7\n");

        var rows = DuckDb.Rows($"SELECT * FROM {Lake}");

        Assert.Equal([[null, null, null, null, null, null, null, null, null, "7"]], rows);
    }

    [Fact]
    public async Task ParquetSink_NotNullColumn_IsRequiredInTheParquetSchema()
    {
        await RunTypesAsync("s,b,i32,i64,d,m18,m38,dt,ts,req\nx,true,1,2,1.5,1.25,1.5,2026-11-28,2026-11-28T10:00:00Z,1\n");
        var file = Assert.Single(_folder.VisibleFiles("lake/types"));

        var repetition = DuckDb.Rows($"SELECT name, repetition_type FROM parquet_schema({DuckDb.Quote(file)}) WHERE name IN ('s', 'req') ORDER BY name");

        Assert.Equal([["req", "REQUIRED"], ["s", "OPTIONAL"]], repetition);
    }

    [Fact]
    public async Task ParquetSink_TimestampWithoutOffset_IsTakenAsUtc()
    {
        await RunTypesAsync("s,b,i32,i64,d,m18,m38,dt,ts,req\n,,,,,,,,2026-11-28 23:59:59,1\n");

        var rows = DuckDb.Rows($"SELECT ts, epoch(ts) FROM {Lake}");

        var epoch = new DateTimeOffset(2026, 11, 28, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds();
        Assert.Equal([["2026-11-28 23:59:59+00", $"{epoch}.0"]], rows);
    }
}
