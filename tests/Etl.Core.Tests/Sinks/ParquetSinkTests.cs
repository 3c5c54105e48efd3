// ParquetSink: logical types DuckDB reads back, nullability, one row group per batch, compression named in the file.
using Etl.Core.Tests.TestSupport;
using Etl.Lake;
using Etl.Records;
using Etl.Sinks;

namespace Etl.Core.Tests.Sinks;

public sealed class ParquetSinkTests : IDisposable
{
    private static readonly TableSchema People = TestRun.Schema(("id", "int64 not null"), ("name", "string"));

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<StagedFile> WriteAsync(TableSchema schema, string options, params object?[][][] batches)
    {
        var sink = $$"""{ "type": "parquet", "path": {{_folder.Json("out")}}{{(options.Length == 0 ? "" : ", " + options)}} }""";
        return Assert.Single(await TestRun.WriteAsync(_folder, sink, schema, batches));
    }

    private static string Metadata(StagedFile file) => $"parquet_metadata({DuckDb.Quote(file.StagingPath)})";

    [Fact]
    public async Task ParquetSink_ColumnTypes_AreTheParquetLogicalTypes()
    {
        var schema = TestRun.Schema(("id", "int64 not null"), ("name", "string"), ("amount", "decimal(18,2)"), ("day", "date"),
            ("at", "timestamp"), ("ok", "bool"), ("ratio", "double"), ("n", "int32"));

        var file = await WriteAsync(schema, "", [[1L, "ada", 1.5m, new DateOnly(2026, 11, 28), DateTime.UnixEpoch, true, 0.5, 7]]);

        Assert.Equal(
            [("id", "BIGINT"), ("name", "VARCHAR"), ("amount", "DECIMAL(18,2)"), ("day", "DATE"), ("at", "TIMESTAMP WITH TIME ZONE"),
             ("ok", "BOOLEAN"), ("ratio", "DOUBLE"), ("n", "INTEGER")],
            DuckDb.Describe($"SELECT * FROM read_parquet({DuckDb.Quote(file.StagingPath)})"));
    }

    [Fact]
    public async Task ParquetSink_NotNullColumn_IsRequiredAndTheOthersOptional()
    {
        var file = await WriteAsync(People, "", [[1L, "ada"]]);

        var repetition = DuckDb.Rows($"SELECT name, repetition_type FROM parquet_schema({DuckDb.Quote(file.StagingPath)}) WHERE name IN ('id', 'name') ORDER BY name");

        Assert.Equal([["id", "REQUIRED"], ["name", "OPTIONAL"]], repetition);
    }

    [Fact]
    public async Task ParquetSink_RowGroups_HoldTheSpecsBatchSizeOfRows()
    {
        var sink = $$"""{ "type": "parquet", "path": {{_folder.Json("out")}} }""";
        var files = await TestRun.WriteAsync(_folder, sink, People, 2, [[1L, "ada"]], [[2L, "bob"], [3L, "cy"]], [[4L, "dee"], [5L, "eve"]]);

        var sizes = DuckDb.Rows($"SELECT row_group_num_rows FROM {Metadata(Assert.Single(files))} WHERE path_in_schema = 'id' ORDER BY row_group_id");

        Assert.Equal([["2"], ["2"], ["1"]], sizes);
    }

    [Theory]
    [InlineData("snappy", ".snappy.parquet", "SNAPPY")]
    [InlineData("gzip", ".gz.parquet", "GZIP")]
    [InlineData("zstd", ".zstd.parquet", "ZSTD")]
    [InlineData("none", ".parquet", "UNCOMPRESSED")]
    public async Task ParquetSink_Compression_IsNamedInTheFileAndUsedInside(string compression, string extension, string codec)
    {
        var file = await WriteAsync(People, $"\"compression\": \"{compression}\"", [[1L, "ada"]]);

        Assert.Equal((extension, codec), (file.RelativePath[file.RelativePath.IndexOf('.', StringComparison.Ordinal)..],
            DuckDb.Scalar($"SELECT DISTINCT compression FROM {Metadata(file)}")));
    }

    [Fact]
    public async Task ParquetSink_TextColumn_IsDictionaryEncoded()
    {
        var file = await WriteAsync(People, "", [[1L, "FR"], [2L, "FR"], [3L, "DE"]]);

        var encodings = DuckDb.Scalar($"SELECT encodings FROM {Metadata(file)} WHERE path_in_schema = 'name'");

        Assert.Contains("DICTIONARY", encodings);
    }

    [Fact]
    public async Task ParquetSink_RepetitiveTextBeyondTheDictionarySample_IsDictionaryEncoded()
    {
        object?[][] rows = [.. Enumerable.Range(0, ParquetSink.DictionarySampleSize * 3).Select(i => new object?[] { (long)i, i % 3 == 0 ? "FR" : "DE" })];

        var file = await WriteAsync(People, "", rows);

        Assert.Contains("DICTIONARY", DuckDb.Scalar($"SELECT encodings FROM {Metadata(file)} WHERE path_in_schema = 'name'"));
    }

    [Fact]
    public async Task ParquetSink_UniqueTextBeyondTheDictionarySample_IsPlainEncoded()
    {
        object?[][] rows = [.. Enumerable.Range(0, ParquetSink.DictionarySampleSize * 3).Select(i => new object?[] { (long)i, "name " + i })];

        var file = await WriteAsync(People, "", rows);

        Assert.DoesNotContain("DICTIONARY", DuckDb.Scalar($"SELECT encodings FROM {Metadata(file)} WHERE path_in_schema = 'name'"));
    }

    [Fact]
    public void DictionarySampleSize_Is1000() => Assert.Equal(1_000, ParquetSink.DictionarySampleSize);

    [Fact]
    public void MaxRowGroupsPerFile_Is1000()
    {
        Assert.Equal(1_000, ParquetSink.MaxRowGroupsPerFile);
    }

    [Fact]
    public async Task ParquetSink_MoreBatchesThanAFileTakes_StartsTheNextFile()
    {
        var sink = $$"""{ "type": "parquet", "path": {{_folder.Json("out")}} }""";
        var batches = Enumerable.Range(0, ParquetSink.MaxRowGroupsPerFile + 1).Select(i => new[] { new object?[] { (long)i, "x" } }).ToArray();

        var files = await TestRun.WriteAsync(_folder, sink, People, 1, batches);

        Assert.Equal([1_000L, 1L], files.Select(f => f.Rows));
    }
}
