// Parquet sink files: one row group per batch, and a new file once a file holds the maximum of row groups.
using System.Text;
using Etl.Cli.Tests.TestSupport;
using Etl.Sinks;

namespace Etl.Cli.Tests;

public sealed class ParquetSinkTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<CliResult> RunAsync(int rows, int batchSize)
    {
        var csv = new StringBuilder("id\n");
        for (var i = 1; i <= rows; i++)
        {
            csv.Append(i).Append('\n');
        }
        _folder.Write("in/ids.csv", csv.ToString());
        var spec = _folder.Write("ids.json", $$"""
            {
              "name": "ids",
              "source": { "type": "csv", "path": {{_folder.Json("in/ids.csv")}} },
              "batch": { "size": {{batchSize}} },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/ids")}} } ]
            }
            """);
        return await EtlCli.RunOkAsync("run", spec);
    }

    [Fact]
    public async Task ParquetSink_EachBatch_IsOneRowGroup()
    {
        await RunAsync(25, 10);

        var file = Assert.Single(_folder.VisibleFiles("lake/ids"));
        Assert.Equal([["0", "10"], ["1", "10"], ["2", "5"]],
            DuckDb.Rows($"SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata({DuckDb.Quote(file)}) ORDER BY row_group_id"));
    }

    [Fact]
    public async Task ParquetSink_MoreBatchesThanAFileTakes_StartsANewFile()
    {
        var rows = ParquetSink.MaxRowGroupsPerFile + 1;

        var result = await RunAsync(rows, 1);

        Assert.Equal(new Summary("ids", "succeeded", rows, 0, 0, 0, rows, 2), result.Summary);
        var files = _folder.VisibleFiles("lake/ids");
        Assert.Equal(
            [$"{ParquetSink.MaxRowGroupsPerFile}", "1"],
            files.Select(f => DuckDb.Scalar($"SELECT count(DISTINCT row_group_id) FROM parquet_metadata({DuckDb.Quote(f)})")));
        Assert.Equal([[$"{rows}", $"{rows}"]], DuckDb.Rows($"SELECT count(*), count(DISTINCT id) FROM {DuckDb.Parquet(_folder.PathOf("lake/ids"))}"));
    }
}
