// A CSV file with a header and no data rows: its columns still reach the sinks, so the run commits one file with those
// columns and no rows, as DuckDB's read_csv of such a file gives zero rows of VARCHAR columns.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;

namespace Etl.Core.Tests.Sources;

public sealed class CsvSourceHeaderOnlyTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Source(string options = "") =>
        $$"""{ "type": "csv", "path": {{_folder.Json("in/input.csv")}}{{(options.Length == 0 ? "" : ", " + options)}} }""";

    private Task<RunResult> RunAsync(string csv, string options = "", string? sink = null, string? schema = null)
    {
        _folder.Write("in/input.csv", csv);
        return new PipelineRunner().RunAsync(TestRun.Spec(_folder, Source(options), sink, schema), CancellationToken.None);
    }

    private string Lake => DuckDb.Parquet(_folder.PathOf("out"));

    [Fact]
    public async Task CsvSource_HeaderOnlyFile_SendsOneBatchOfItsColumnsWithNoRow()
    {
        _folder.Write("in/input.csv", "id,name\n");

        var output = new BatchCollectingOutput();
        await TestRun.Source(TestRun.Context(_folder, Source())).ReadAsync(output, CancellationToken.None);

        var batch = Assert.Single(output.Batches);
        Assert.Equal(0, batch.RowCount);
        Assert.Equal(["id", "name"], batch.Names);
    }

    [Fact]
    public async Task Run_HeaderOnlyCsv_CommitsOneParquetFileOfStringColumnsAndNoRow()
    {
        var result = await RunAsync("id,name,amount\n");

        Assert.Equal((RunStatus.Succeeded, 0L), (result.Status, result.Written));
        Assert.Single(Directory.GetFiles(_folder.PathOf("out"), "*.parquet"));
        Assert.Equal([("id", "VARCHAR"), ("name", "VARCHAR"), ("amount", "VARCHAR")], DuckDb.Describe($"SELECT * FROM {Lake}"));
        Assert.Equal("0", DuckDb.Scalar($"SELECT count(*) FROM {Lake}"));
    }

    [Fact]
    public async Task Run_HeaderOnlyCsv_ColumnsAreTheTypesDuckDbReadsTheInputWith()
    {
        await RunAsync("id,name\r\n");

        var input = $"read_csv({DuckDb.Quote(_folder.PathOf("in/input.csv"))})";
        Assert.Equal(DuckDb.Describe($"SELECT * FROM {input}"), DuckDb.Describe($"SELECT * FROM {Lake}"));
    }

    [Fact]
    public async Task Run_HeaderOnlyCsvToACsvSink_WritesTheHeaderOnly()
    {
        await RunAsync("id,name\n", sink: $$"""{ "type": "csv", "path": {{_folder.Json("out")}} }""");

        var file = Assert.Single(Directory.GetFiles(_folder.PathOf("out"), "*.csv"));
        Assert.Equal("id,name\r\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task Run_HeaderOnlyCsvWithADeclaredColumn_KeepsItsDeclaredType()
    {
        await RunAsync("id,name\n", schema: """{ "id": "int64" }""");

        Assert.Equal([("id", "BIGINT"), ("name", "VARCHAR")], DuckDb.Describe($"SELECT * FROM {Lake}"));
    }

    [Fact]
    public async Task Run_HeaderOnlyFileBesideOneWithRows_TypesTheColumnsFromTheRows()
    {
        _folder.Write("in/a.csv", "id,name\n");
        _folder.Write("in/b.csv", "id,name\n1,ada\n");

        var result = await new PipelineRunner().RunAsync(
            TestRun.Spec(_folder, $$"""{ "type": "csv", "path": {{_folder.Json("in")}} }"""), CancellationToken.None);

        Assert.Equal((RunStatus.Succeeded, 1L), (result.Status, result.Written));
        Assert.Equal([("id", "BIGINT"), ("name", "VARCHAR")], DuckDb.Describe($"SELECT * FROM {Lake}"));
    }
}
