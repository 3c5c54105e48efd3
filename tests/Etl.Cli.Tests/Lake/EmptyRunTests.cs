// A run that writes no rows still leaves a file with the columns, as Spark and DuckDB write an empty result, so a
// reader of the sink's folder gets zero rows rather than "no files found".
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed class EmptyRunTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<CliResult> RunAsync(string source, string sink, string extra = "")
    {
        var spec = _folder.Write("empty.json", $$"""
            {
              "name": "empty",
              "source": {{source}},
              {{extra}}
              "sinks": [ {{sink}} ]
            }
            """);
        return EtlCli.RunOkAsync("run", spec);
    }

    private string CsvInput(string csv)
    {
        _folder.Write("in/input.csv", csv);
        return $$"""{ "type": "csv", "path": {{_folder.Json("in/input.csv")}} }""";
    }

    private string Parquet(string extra = "") => $$"""{ "type": "parquet", "path": {{_folder.Json("lake")}} {{extra}} }""";

    [Fact]
    public async Task Run_FilterKeepingNoRow_WritesOneParquetFileWithTheInferredColumns()
    {
        var result = await RunAsync(CsvInput("id,name\n1,a\n2,b\n"), Parquet(), """ "transforms": [ { "type": "filter", "where": "id > 5" } ], """);

        Assert.Equal(new Summary("empty", "succeeded", 2, 2, 0, 0, 0, 1), result.Summary);
        var lake = DuckDb.Parquet(_folder.PathOf("lake"));
        Assert.Equal([("id", "BIGINT"), ("name", "VARCHAR")], DuckDb.Describe($"SELECT * FROM {lake}"));
        Assert.Equal(0, DuckDb.Count(lake));
    }

    [Fact]
    public async Task Run_NoRecordWithADeclaredSchema_WritesTheDeclaredTypes()
    {
        _folder.Write("in/input.json", "[]");
        var source = $$"""{ "type": "json", "path": {{_folder.Json("in/input.json")}} }""";

        await RunAsync(source, Parquet(), """ "schema": { "id": "int64 not null", "amount": "decimal(18,2)", "at": "timestamp" }, """);

        var lake = DuckDb.Parquet(_folder.PathOf("lake"));
        Assert.Equal([("id", "BIGINT"), ("amount", "DECIMAL(18,2)"), ("at", "TIMESTAMP WITH TIME ZONE")], DuckDb.Describe($"SELECT * FROM {lake}"));
        Assert.Equal(0, DuckDb.Count(lake));
    }

    [Fact]
    public async Task Run_NoRowToACsvSink_WritesTheHeaderOnly()
    {
        await RunAsync(CsvInput("id,name\n1,a\n"), $$"""{ "type": "csv", "path": {{_folder.Json("lake")}} }""",
            """ "transforms": [ { "type": "filter", "where": "id > 5" } ], """);

        var file = Assert.Single(_folder.VisibleFiles("lake"));
        Assert.Equal("id,name\r\n", File.ReadAllText(file));
    }

    [Fact]
    public async Task Run_NoRowToAPartitionedSink_WritesNoFile()
    {
        var result = await RunAsync(CsvInput("id,country\n1,FR\n"), Parquet(""", "partitionBy": ["country"]"""),
            """ "transforms": [ { "type": "filter", "where": "id > 5" } ], """);

        Assert.Equal(0, result.Summary.Files);
        Assert.Empty(_folder.VisibleFiles("lake"));
    }

    [Fact]
    public async Task Overwrite_RunWithNoRowAfterOneWithRows_LeavesZeroRowsVisible()
    {
        await RunAsync(CsvInput("id,name\n1,a\n"), Parquet());

        await RunAsync(CsvInput("id,name\n1,a\n"), Parquet(), """ "transforms": [ { "type": "filter", "where": "id > 5" } ], """);

        Assert.Equal(0, DuckDb.Count(DuckDb.Parquet(_folder.PathOf("lake"))));
    }
}
