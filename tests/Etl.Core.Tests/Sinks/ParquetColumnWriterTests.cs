// ParquetColumnWriter: every column kind, nullable with and without nulls, required, and row groups made of several
// batches, read back by DuckDB with the values and nulls that went in.
using Etl.Core.Tests.TestSupport;
using Etl.Lake;
using Etl.Records;

namespace Etl.Core.Tests.Sinks;

public sealed class ParquetColumnWriterTests : IDisposable
{
    private static readonly TableSchema Nullable = TestRun.Schema(
        ("s", "string"), ("b", "bool"), ("i", "int32"), ("l", "int64"), ("d", "double"), ("m", "decimal(18,2)"),
        ("big", "decimal(38,10)"), ("day", "date"), ("ts", "timestamp"));

    private static readonly TableSchema Required = TestRun.Schema(
        ("s", "string not null"), ("b", "bool not null"), ("i", "int32 not null"), ("l", "int64 not null"), ("d", "double not null"),
        ("m", "decimal(18,2) not null"), ("big", "decimal(38,10) not null"), ("day", "date not null"), ("ts", "timestamp not null"));

    // Each value as DuckDB prints it: doubles are quarters (exact in binary), timestamps as microseconds since 1970.
    private const string Select = "SELECT s, b, i, l, CAST(d * 4 AS BIGINT), m, big, day, epoch_us(ts)";

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static object?[] Row(int n) =>
    [
        n % 3 == 0 ? "" : "é東" + n, n % 2 == 0, -n, (long)n << 40, n / 4.0, -n - 0.25m, n + 0.0000000001m,
        new DateOnly(1, 1, 1).AddDays(n * 1000), DateTime.UnixEpoch.AddTicks(n * 12_345_670L),
    ];

    private static string?[] Expected(object?[] row) =>
    [
        (string?)row[0], row[1] is bool b ? (b ? "true" : "false") : null, Text(row[2]), Text(row[3]),
        row[4] is double d ? ((long)(d * 4)).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        row[5] is decimal m ? m.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) : null,
        row[6] is decimal big ? big.ToString("F10", System.Globalization.CultureInfo.InvariantCulture) : null,
        row[7] is DateOnly day ? day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null,
        row[8] is DateTime ts ? ((ts.Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
    ];

    private static string? Text(object? value) => value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Rows 0..count-1; with nulls, row r has its column r % 10 null (so each column has nulls).</summary>
    private static object?[][] Rows(int count, bool nulls) =>
        [.. Enumerable.Range(0, count).Select(r => Row(r).Select((v, c) => nulls && r % 10 == c ? null : v).ToArray())];

    private async Task<(StagedFile File, List<string?[]> Rows)> RoundTripAsync(TableSchema schema, int batchSize, params object?[][][] batches)
    {
        var sink = $$"""{ "type": "parquet", "path": {{_folder.Json("out")}} }""";
        var file = Assert.Single(await TestRun.WriteAsync(_folder, sink, schema, batchSize, batches));
        return (file, DuckDb.Rows($"{Select} FROM read_parquet({DuckDb.Quote(file.StagingPath)})"));
    }

    [Fact]
    public async Task ParquetSink_NullableColumnsWithNulls_DuckDbReadsTheValuesAndNulls()
    {
        var rows = Rows(30, nulls: true);

        var (_, back) = await RoundTripAsync(Nullable, 100, rows);

        Assert.Equal(rows.Select(Expected), back);
    }

    [Fact]
    public async Task ParquetSink_NullableColumnsWithoutNulls_DuckDbReadsTheValues()
    {
        var rows = Rows(30, nulls: false);

        var (_, back) = await RoundTripAsync(Nullable, 100, rows);

        Assert.Equal(rows.Select(Expected), back);
    }

    [Fact]
    public async Task ParquetSink_RequiredColumns_DuckDbReadsTheValues()
    {
        var rows = Rows(30, nulls: false);

        var (_, back) = await RoundTripAsync(Required, 7, [.. rows.Chunk(4)]);

        Assert.Equal(rows.Select(Expected), back);
    }

    [Fact]
    public async Task ParquetSink_RowGroupsOfSeveralBatches_HoldEveryRowInOrder()
    {
        var rows = Rows(45, nulls: true);
        // Batches of 4, 11 and 30 rows cut into row groups of 10: groups start inside batches and span up to three.
        object?[][][] batches = [rows[..4], rows[4..15], rows[15..]];

        var (file, back) = await RoundTripAsync(Nullable, 10, batches);

        Assert.Equal(rows.Select(Expected), back);
        Assert.Equal(["10", "10", "10", "10", "5"], DuckDb.Column(
            $"SELECT row_group_num_rows FROM parquet_metadata({DuckDb.Quote(file.StagingPath)}) WHERE path_in_schema = 's' ORDER BY row_group_id"));
    }

    [Fact]
    public async Task ParquetSink_RowGroupsMixingBatchesWithAndWithoutNulls_KeepTheNullsWhereTheyWere()
    {
        var rows = Rows(20, nulls: false);
        rows[13] = new object?[Nullable.Count];

        var (_, back) = await RoundTripAsync(Nullable, 20, [.. rows.Chunk(6)]);

        Assert.Equal(rows.Select(Expected), back);
    }

    [Fact]
    public async Task ParquetSink_Text_KeepsNonAsciiAndEmptyApartFromNull()
    {
        var schema = TestRun.Schema(("s", "string"));
        object?[][] rows = [["Zürich 東京 😀"], [""], [null], ["Ελληνικά"], [""], [null]];
        var sink = $$"""{ "type": "parquet", "path": {{_folder.Json("out")}} }""";

        var file = Assert.Single(await TestRun.WriteAsync(_folder, sink, schema, rows));

        Assert.Equal(["Zürich 東京 😀", "", null, "Ελληνικά", "", null],
            DuckDb.Column($"SELECT s FROM read_parquet({DuckDb.Quote(file.StagingPath)})"));
    }
}
