// ParquetSource: a file Parquet.Net 6.1 cannot read fails the run with the file, the column where known, what is not
// supported and what to do; a column chunk too large to hold fails at once instead of running out of memory.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;

namespace Etl.Core.Tests.Sources;

public sealed class ParquetSourceErrorTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>A file copied from apache/parquet-testing (see Fixtures/parquet-testing/README.md).</summary>
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Sources", "Fixtures", "parquet-testing", name);

    private async Task<Exception> FailAsync(string path) =>
        await Assert.ThrowsAnyAsync<Exception>(() => TestRun.ReadAsync(_folder, $$"""{ "type": "parquet", "path": {{JsonSerializer.Serialize(path)}} }"""));

    [Fact]
    public async Task ParquetSource_HadoopLz4File_FailsNamingFileColumnAndWhatToDo()
    {
        var path = Fixture("hadoop_lz4_compressed.parquet");

        var error = await FailAsync(path);

        Assert.Equal($"{path}: column 'c1': Hadoop-framed LZ4 (codec LZ4) is not supported by the Parquet reader (Parquet.Net 6.1); rewrite the file with snappy, zstd or LZ4_RAW (Specified argument was out of the range of valid values.)", error.Message);
    }

    [Fact]
    public async Task ParquetSource_SchemaTheReaderCannotBuild_FailsNamingTheFile()
    {
        var path = Fixture("map_no_value.parquet");

        var error = await FailAsync(path);

        Assert.Equal($"{path}: the Parquet reader (Parquet.Net 6.1) cannot read its footer or schema: dictionary container must have exactly 2 children but 1 found", error.Message);
    }

    [Fact]
    public async Task ParquetSource_ColumnChunkOf2GiB_FailsBeforeReadingIt()
    {
        var path = Fixture("large_string_map.brotli.parquet");

        var error = await FailAsync(path);

        Assert.Equal($"{path}: column 'arr.key_value.key': row group 0 holds 2,147,483,749 bytes of it (uncompressed), more than the 2,147,483,647 the Parquet source reads in one column chunk (it holds a row group's column in memory); rewrite the file with smaller row groups", error.Message);
    }
}
