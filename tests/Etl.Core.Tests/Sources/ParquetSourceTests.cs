// ParquetSource: Parquet types become record values, row groups are read in order, lake folders add their partitions.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Lake;
using Parquet;
using Parquet.Schema;

namespace Etl.Core.Tests.Sources;

public sealed class ParquetSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<CollectingOutput> ReadAsync(string relative) =>
        TestRun.ReadAsync(_folder, $$"""{ "type": "parquet", "path": {{_folder.Json(relative)}} }""");

    /// <summary>Writes the rows of <paramref name="select"/> as a Parquet file, with DuckDB.</summary>
    private string Copy(string relative, string select, string options = "")
    {
        var path = _folder.PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        DuckDb.Execute($"COPY ({select}) TO {DuckDb.Quote(path)} (FORMAT parquet{(options.Length > 0 ? ", " + options : "")})");
        return path;
    }

    /// <summary>A committed run's manifest in <paramref name="lake"/> that names <paramref name="files"/> only.</summary>
    private void WriteManifest(string lake, params string[] files)
    {
        var manifest = new RunManifest
        {
            RunId = TestRun.RunId,
            Spec = "test.json",
            SpecSha256 = "0",
            Parameters = new Dictionary<string, string>(),
            StartedAt = DateTimeOffset.UnixEpoch,
            EndedAt = DateTimeOffset.UnixEpoch,
            EtlVersion = "0",
            Mode = "overwrite",
            Counts = new ManifestCounts(0, 0, 0, 0, 0, 0, 0, 0, 0),
            Stages = [],
            Schema = [],
            Files = [.. files.Select(f => new ManifestFile(f, null, 1, new FileInfo(_folder.PathOf(Path.Combine(lake, f))).Length))],
        };
        _folder.Write(Path.Combine(lake, "_manifest.json"), JsonSerializer.Serialize(manifest, RunManifest.JsonOptions));
    }

    private static string Json(object? value) => Etl.Records.RecordJson.Serialize(value);

    private static List<object?> Values(CollectingOutput output) =>
        [.. Assert.Single(output.Records).Names.Select(n => output.Records[0][n])];

    [Fact]
    public async Task ParquetSource_IntegerColumns_KeepInt32WhereItHoldsThem()
    {
        Copy("in.parquet", "SELECT 1::UTINYINT AS a, 2::SMALLINT AS b, 3::INTEGER AS c, 4::BIGINT AS d");

        var output = await ReadAsync("in.parquet");

        Assert.Equal(new object?[] { 1, 2, 3, 4L }, Values(output));
    }

    [Fact]
    public async Task ParquetSource_SignedByteAndUnsignedColumns_ReadAsTheNarrowestIntegerThatHoldsThem()
    {
        Copy("in.parquet", "SELECT (-1)::TINYINT AS a, 65535::USMALLINT AS b, 4294967295::UINTEGER AS c");

        var output = await ReadAsync("in.parquet");

        Assert.Equal(new object?[] { -1, 65535, 4294967295L }, Values(output));
    }

    [Fact]
    public async Task ParquetSource_UBigIntBeyondInt64_ReadsExactlyAsDecimal()
    {
        Copy("in.parquet", "SELECT 18446744073709551615::UBIGINT AS a");

        var output = await ReadAsync("in.parquet");

        Assert.Equal([18446744073709551615m], Values(output));
    }

    [Fact]
    public async Task ParquetSource_BinaryColumn_ReadsAsBase64Text()
    {
        Copy("in.parquet", "SELECT '\\xAA\\x00\\xFF'::BLOB AS b");

        var output = await ReadAsync("in.parquet");

        Assert.Equal(["qgD/"], Values(output));
    }

    [Fact]
    public async Task ParquetSource_TimeUuidAndIntervalColumns_ReadAsIsoText()
    {
        Copy("in.parquet", "SELECT TIME '03:04:05.25' AS t, '838cbffc-695a-4df1-b663-ff6d58285093'::UUID AS id, INTERVAL 1 DAY AS i");

        var output = await ReadAsync("in.parquet");

        Assert.Equal(["03:04:05.25", "838cbffc-695a-4df1-b663-ff6d58285093", "P0M1DT0S"], Values(output));
    }

    [Fact]
    public async Task ParquetSource_StructColumn_IsANestedRecord()
    {
        Copy("in.parquet", "SELECT 1 AS id, {'name': 'Zoë', 'tier': 2} AS customer");

        var output = await ReadAsync("in.parquet");

        var customer = Assert.IsType<Etl.Records.Record>(Assert.Single(output.Records)["customer"]);
        Assert.Equal(("Zoë", 2L), (customer["name"], customer["tier"]));
    }

    [Fact]
    public async Task ParquetSource_ListAndMapColumns_AreAListAndARecord()
    {
        Copy("in.parquet", "SELECT [1, NULL, 3] AS l, MAP {'k': 'v'} AS m");

        var output = await ReadAsync("in.parquet");

        var record = Assert.Single(output.Records);
        Assert.Equal([1L, null, 3L], Assert.IsAssignableFrom<IReadOnlyList<object?>>(record["l"]));
        Assert.Equal("v", Assert.IsType<Etl.Records.Record>(record["m"])["k"]);
    }

    [Fact]
    public async Task ParquetSource_NullAndEmptyNestedValues_KeepTheirShape()
    {
        Copy("in.parquet", "SELECT NULL::INTEGER[] AS l, [] ::INTEGER[] AS e, [[1], NULL, []] AS ll, [{'x': 1}, NULL] AS structs, {'a': NULL, 'b': NULL::INTEGER[]} AS s");

        var output = await ReadAsync("in.parquet");

        var record = Assert.Single(output.Records);
        Assert.Null(record["l"]);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<object?>>(record["e"]));
        Assert.Equal("[[1],null,[]]", Json(record["ll"]));
        Assert.Equal("""[{"x":1},null]""", Json(record["structs"]));
        Assert.Equal("""{"a":null,"b":null}""", Json(record["s"]));
    }

    [Fact]
    public async Task ParquetSource_NestedColumnsAcrossRowGroups_StayWithTheirRowsInTheFilesColumnOrder()
    {
        Copy("in.parquet", "SELECT i AS id, [i, i] AS pair, i * 10 AS tens FROM range(5000) t(i)", "ROW_GROUP_SIZE 2048");

        var output = await ReadAsync("in.parquet");

        Assert.Equal(["id", "pair", "tens"], output.Records[0].Names);
        Assert.All(output.Records, r => Assert.Equal([r["id"], r["id"]], Assert.IsAssignableFrom<IReadOnlyList<object?>>(r["pair"])));
        Assert.Equal(5000, output.Records.Count);
    }

    [Fact]
    public async Task ParquetSource_FloatingColumns_ReadAsDouble()
    {
        Copy("in.parquet", "SELECT 0.5::FLOAT AS f, 0.25::DOUBLE AS d");

        var output = await ReadAsync("in.parquet");

        Assert.Equal([0.5, 0.25], Values(output));
    }

    [Fact]
    public async Task ParquetSource_DecimalDateBoolAndText_KeepTheirTypes()
    {
        Copy("in.parquet", "SELECT 12.50::DECIMAL(18,2) AS amount, DATE '2026-11-28' AS day, true AS ok, 'ada' AS name");

        var output = await ReadAsync("in.parquet");

        Assert.Equal([12.50m, new DateOnly(2026, 11, 28), true, "ada"], Values(output));
    }

    [Fact]
    public async Task ParquetSource_UtcTimestamp_ReadsAsUtcDateTime()
    {
        Copy("in.parquet", "SELECT TIMESTAMPTZ '2026-11-28 10:30:00+00' AS at");

        var output = await ReadAsync("in.parquet");

        var at = Assert.IsType<DateTime>(Assert.Single(output.Records)["at"]);
        Assert.Equal((new DateTime(2026, 11, 28, 10, 30, 0), DateTimeKind.Utc), (DateTime.SpecifyKind(at, DateTimeKind.Unspecified), at.Kind));
    }

    [Fact]
    public async Task ParquetSource_NullValues_ReadAsNull()
    {
        Copy("in.parquet", "SELECT * FROM (VALUES (1::BIGINT, 'a'), (NULL, NULL)) t(id, name)");

        var output = await ReadAsync("in.parquet");

        Assert.Equal([1L, null], output.Values("id"));
        Assert.Equal(["a", null], output.Values("name"));
    }

    [Fact]
    public async Task ParquetSource_SeveralRowGroups_NumbersRowsAcrossThem()
    {
        var file = _folder.PathOf("in.parquet");
        var id = new DataField<long>("id");
        await using (var stream = File.Create(file))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id), stream))
        {
            foreach (long[] ids in new[] { new long[] { 1, 2 }, [3] })
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<long>(id, ids.AsMemory());
                group.CompleteValidate();
            }
        }

        var output = await ReadAsync("in.parquet");

        Assert.Equal([$"{file}:row 1", $"{file}:row 2", $"{file}:row 3"], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task ParquetSource_LakeFolder_AddsHivePartitionFoldersAsColumns()
    {
        Copy("lake/country=FR/part-1.parquet", "SELECT 1::BIGINT AS id");

        var output = await ReadAsync("lake");

        Assert.Equal([1L, "FR"], Values(output));
    }

    [Fact]
    public async Task ParquetSource_PartitionFolderNamingAFileColumn_KeepsTheFilesValue()
    {
        Copy("lake/country=FR/part-1.parquet", "SELECT 1::BIGINT AS id, 'DE' AS country");

        var output = await ReadAsync("lake");

        Assert.Equal([1L, "DE"], Values(output));
    }

    [Fact]
    public async Task ParquetSource_LakeFolderWithAManifest_ReadsOnlyTheFilesItNames()
    {
        Copy("lake/part-committed.parquet", "SELECT 1::BIGINT AS id");
        Copy("lake/part-uncommitted.parquet", "SELECT 2::BIGINT AS id");
        WriteManifest("lake", "part-committed.parquet");

        var output = await ReadAsync("lake");

        Assert.Equal([1L], output.Values("id"));
    }
}
