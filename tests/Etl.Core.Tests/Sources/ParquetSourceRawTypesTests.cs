// ParquetSource: types Parquet.Net 6.1 cannot convert itself (FLOAT16, INT96, timestamps beyond the years 1–9999) read
// as DuckDB reads them, and a value the engine cannot hold fails its row as a dead letter naming column and value.
using System.Globalization;
using System.Text.Json;
using Etl.Core.Tests.TestSupport;

namespace Etl.Core.Tests.Sources;

public sealed class ParquetSourceRawTypesTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A file copied from apache/parquet-testing (see Fixtures/parquet-testing/README.md).</summary>
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Sources", "Fixtures", "parquet-testing", name);

    private Task<CollectingOutput> ReadAsync(string path) =>
        TestRun.ReadAsync(_folder, $$"""{ "type": "parquet", "path": {{JsonSerializer.Serialize(path)}} }""");

    private string Copy(string select)
    {
        var path = _folder.PathOf("in.parquet");
        DuckDb.Execute($"COPY ({select}) TO {DuckDb.Quote(path)} (FORMAT parquet)");
        return path;
    }

    private static string Text(object? value) => value switch
    {
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture).TrimEnd('.'),
        null => "null",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    [Fact]
    public async Task ParquetSource_Float16Column_ReadsAsDoubleAsDuckDbDoes()
    {
        var path = Fixture("float16_nonzeros_and_nans.parquet");

        var output = await ReadAsync(path);

        var expected = DuckDb.Column($"SELECT x::DOUBLE FROM read_parquet({DuckDb.Quote(path)})")
            .Select(v => v is null ? (double?)null : double.Parse(v, CultureInfo.InvariantCulture));
        Assert.Equal(expected, output.Values("x").Select(v => (double?)v));
    }

    [Fact]
    public async Task ParquetSource_SparkInt96BeyondYear9999_IsADeadLetterNamingColumnAndValue()
    {
        var path = Fixture("int96_from_spark.parquet");

        var output = await ReadAsync(path);

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal((path + ":row 6", "a", "+290000-12-30T23:00:00Z"), (rejection.Origin, rejection.Column, rejection.Value));
        Assert.Equal("column 'a': INT96 timestamp +290000-12-30T23:00:00Z (Julian day -105862232, nanosecond -32509551616000 of the day, as Spark reads them) is outside the years 0001–9999 a timestamp holds", rejection.Reason);
        Assert.Equal(5, output.Records.Count);
    }

    [Fact]
    public async Task ParquetSource_Int96InRange_ReadsAsDuckDbDoes()
    {
        var path = Fixture("int96_from_spark.parquet");

        var output = await ReadAsync(path);

        var expected = DuckDb.Column($"SELECT a::TIMESTAMP FROM read_parquet({DuckDb.Quote(path)}) LIMIT 5").Select(v => v ?? "null");
        Assert.Equal(expected, output.Values("a").Select(Text));
    }

    [Fact]
    public async Task ParquetSource_TimestampBeyondYear9999_FailsItsRowOnly()
    {
        var path = Copy("SELECT * FROM (VALUES (1, TIMESTAMP '2026-11-28 10:30:00'), (2, TIMESTAMP '52951-07-27 10:00:00'), (3, NULL)) t(id, ts)");

        var output = await ReadAsync(path);

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal((path + ":row 2", "ts", "+52951-07-27T10:00:00Z", "column 'ts': timestamp +52951-07-27T10:00:00Z is outside the years 0001–9999 a timestamp holds"),
            (rejection.Origin, rejection.Column, rejection.Value, rejection.Reason));
        Assert.Equal(["2026-11-28 10:30:00", "null"], output.Values("ts").Select(Text));
        Assert.Equal(new object?[] { 1, 3 }, output.Values("id"));
    }

    [Fact]
    public async Task ParquetSource_TimestampBeyondYear9999InAStruct_FailsItsRowNamingThePath()
    {
        var path = Copy("SELECT * FROM (VALUES (1, {'t': TIMESTAMP '2026-11-28 10:30:00'}), (2, {'t': TIMESTAMP '52951-07-27 10:00:00'})) v(id, s)");

        var output = await ReadAsync(path);

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal((path + ":row 2", "s", "column 's.t': timestamp +52951-07-27T10:00:00Z is outside the years 0001–9999 a timestamp holds"),
            (rejection.Origin, rejection.Column, rejection.Reason));
        Assert.Equal(new object?[] { 1 }, output.Values("id"));
    }

    [Fact]
    public async Task ParquetSource_TimestampUnits_ReadToTheTickAsDuckDbDoes()
    {
        var path = Copy("""
            SELECT TIMESTAMP_MS '2026-11-28 10:30:00.123' AS ms, TIMESTAMP '1969-12-31 23:59:59.999999' AS us,
                   TIMESTAMP_NS '2026-11-28 10:30:00.1234567' AS ns
            """);

        var output = await ReadAsync(path);

        var record = Assert.Single(output.Records);
        var expected = Assert.Single(DuckDb.Rows($"SELECT ms::TIMESTAMP, us::TIMESTAMP, ns::VARCHAR FROM read_parquet({DuckDb.Quote(path)})"));
        Assert.Equal(expected, new[] { Text(record["ms"]), Text(record["us"]), Text(record["ns"]) });
    }

    [Fact]
    public async Task ParquetSource_NanosecondTimestampBefore1970_RoundsDownToTheTick()
    {
        var path = Copy("SELECT TIMESTAMP_NS '1969-12-31 23:59:59.99999999' AS ns");

        var output = await ReadAsync(path);

        Assert.Equal("1969-12-31 23:59:59.9999999", Text(Assert.Single(output.Records)["ns"]));
    }

    [Fact]
    public async Task ParquetSource_DateBeyondYear9999_FailsItsRowOnly()
    {
        var path = Copy("SELECT * FROM (VALUES (1, DATE '2026-11-28'), (2, DATE '12000-01-01'), (3, DATE '0001-01-01')) t(id, d)");

        var output = await ReadAsync(path);

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal((path + ":row 2", "d", "+12000-01-01", "column 'd': date +12000-01-01 is outside the years 0001–9999 a date holds"),
            (rejection.Origin, rejection.Column, rejection.Value, rejection.Reason));
        Assert.Equal(new object?[] { new DateOnly(2026, 11, 28), new DateOnly(1, 1, 1) }, output.Values("d"));
    }
}
