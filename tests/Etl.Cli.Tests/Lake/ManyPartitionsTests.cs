// End to end: partitioned sinks at thousands of partitions under `ulimit -n 1024`: every row once, one file per partition, bounded memory.
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

/// <summary>Generated orders shared by the tests, one million and a hundred thousand: columns p2000 and p20000
/// partition them 2,000 and 20,000 ways.</summary>
public sealed class MillionOrders : IDisposable
{
    public const int Rows = 1_000_000;

    public const int SmallRows = 100_000;

    public MillionOrders()
    {
        Folder = new TestFolder();
        Generate(Folder.PathOf("in/orders.csv"), Rows);
        Generate(Folder.PathOf("in/small.csv"), SmallRows);
    }

    private static void Generate(string path, int rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("id,customer,amount,note,p2000,p20000\n");
        for (var i = 0; i < rows; i++)
        {
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"{i},customer {i % 5000},{i % 10000 / 100}.{i % 100:D2},note {i},{i % 2000},{i % 20000}\n"));
        }
    }

    public TestFolder Folder { get; }

    public void Dispose() => Folder.Dispose();
}

[CollectionDefinition(nameof(ManyPartitionsTests), DisableParallelization = true)]
public sealed class ManyPartitionsCollection : ICollectionFixture<MillionOrders>;

// Alone: the peak memory of a child process is measured, and other runs would share its CPU and disk.
[Collection(nameof(ManyPartitionsTests))]
public sealed class ManyPartitionsTests(MillionOrders orders)
{
    /// <summary>The issue's figure. Measured (debug build): 1M rows into 2,000 partitions peak at about 215 MB (while
    /// buffering), into 20,000 at about 230 MB (buffering, then the commit of 20,000 files). The bound catches a return
    /// to memory that grows with the partitions (one open writer per partition: over 800 MB, then "Too many open files";
    /// a commit that reads its 17 MB log and manifest back whole several times: about 420 MB).</summary>
    private const long PeakRssLimit = 300L << 20;

    private const int OpenFileLimit = 1024;

    private TestFolder Folder => orders.Folder;

    private string Spec(string name, string sinkType, string partitionBy, int? maxPartitions = null, string input = "in/orders.csv")
    {
        var sink = new JsonObject { ["type"] = sinkType, ["path"] = $"lake/{name}", ["partitionBy"] = new JsonArray(partitionBy) };
        if (maxPartitions is { } max)
        {
            sink["maxPartitions"] = max;
        }
        Folder.Save(new JsonObject
        {
            ["name"] = name,
            ["source"] = new JsonObject { ["type"] = "csv", ["path"] = input },
            ["schema"] = new JsonObject
            {
                ["id"] = "int64 not null",
                ["customer"] = "string",
                ["amount"] = "decimal(18,2)",
                ["note"] = "string",
                ["p2000"] = "int32",
                ["p20000"] = "int32",
            },
            ["sinks"] = new JsonArray(sink),
        }, $"{name}.json");
        return $"{name}.json";
    }

    private async Task<(CliResult Result, long PeakRss)> RunLimitedAsync(string spec)
    {
        using var running = EtlCli.Start(new ProcessOptions(Folder.Root) { OpenFileLimit = OpenFileLimit }, "run", spec, "--progress", "none");
        return await running.ResultWithPeakMemoryAsync();
    }

    /// <summary>Data files per partition folder of a sink.</summary>
    private Dictionary<string, int> FilesPerPartition(string sink, string extension) =>
        Folder.SinkFiles(sink).Where(f => f.EndsWith(extension, StringComparison.Ordinal))
            .GroupBy(f => f[..f.LastIndexOf('/')]).ToDictionary(g => g.Key, g => g.Count());

    private static void AssertEveryRowOnceInItsPartition(string table, string column, long rows)
    {
        var modulus = column[1..];
        Assert.Equal(
            $"{rows}|{rows}|{rows * (rows - 1) / 2}|0",
            Assert.Single(DuckDb.Strings($"SELECT count(*), count(DISTINCT id), sum(id), count(*) FILTER (WHERE id % {modulus} <> {column}) FROM {table}")));
    }

    [Theory]
    [InlineData("p2000", 2_000)]
    [InlineData("p20000", 20_000)]
    public async Task Parquet_MillionRowsIntoThousandsOfPartitionsUnderUlimit1024_WritesEveryRowOnceOneFilePerPartitionInBoundedMemory(string column, int partitions)
    {
        var spec = Spec($"parquet-{column}", "parquet", column);

        var (result, peak) = await RunLimitedAsync(spec);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(peak <= PeakRssLimit, $"peak RSS {peak >> 20} MiB, more than {PeakRssLimit >> 20} MiB");
        var files = FilesPerPartition($"lake/parquet-{column}", ".parquet");
        Assert.Equal(partitions, files.Count);
        Assert.All(files, f => Assert.Equal(1, f.Value));
        AssertEveryRowOnceInItsPartition(DuckDb.Parquet(Folder.PathOf($"lake/parquet-{column}")), column, MillionOrders.Rows);
    }

    [Fact]
    public async Task Csv_ThousandsOfPartitionsUnderUlimit1024_WritesEveryRowOnceOneFilePerPartition()
    {
        var spec = Spec("csv-p2000", "csv", "p2000", input: "in/small.csv");

        var (result, _) = await RunLimitedAsync(spec);

        Assert.True(result.ExitCode == 0, result.ToString());
        var files = FilesPerPartition("lake/csv-p2000", ".csv");
        Assert.Equal(2_000, files.Count);
        Assert.All(files, f => Assert.Equal(1, f.Value));
        var table = $"read_csv({DuckDb.Quote(Folder.PathOf("lake/csv-p2000/p2000=*/*.csv"))}, hive_partitioning = true, header = true)";
        AssertEveryRowOnceInItsPartition(table, "p2000", MillionOrders.SmallRows);
    }

    [Fact]
    public async Task MaxPartitions_Exceeded_FailsNamingTheColumnAndCountAndCommitsNothing()
    {
        var spec = Spec("guarded", "parquet", "p20000", maxPartitions: 500, input: "in/small.csv");

        var result = await EtlCli.RunProcessAsync(Folder.Root, "run", spec, "--progress", "none");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("partitionBy p20000 makes more than maxPartitions (500) partitions (501 so far); nothing was committed", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Folder.SinkFiles("lake/guarded"));
    }
}
