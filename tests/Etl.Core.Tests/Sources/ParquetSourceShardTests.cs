// Tests of how a sharded run splits Parquet input: small files whole, large files row group by row group.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Parquet;
using Parquet.Schema;

namespace Etl.Core.Tests.Sources;

public sealed class ParquetSourceShardTests
{
    private static async Task WriteRowGroupsAsync(string file, int groups, int rowsPerGroup)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var field = new DataField<long>("id");
        await using var stream = File.Create(file);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
        for (var g = 0; g < groups; g++)
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(field, Enumerable.Range(g * rowsPerGroup, rowsPerGroup).Select(i => (long)i).ToArray().AsMemory());
            group.CompleteValidate();
        }
    }

    private static async Task<List<long>> IdsOfShardAsync(TestFolder folder, Shard shard)
    {
        var loaded = TestRun.Spec(folder, $$"""{ "type": "parquet", "path": {{folder.Json("in")}} }""");
        var run = TestRun.Context(loaded, folder.PathOf("errors"), shard: shard);
        var output = new CollectingOutput();
        await TestRun.Source(run).ReadAsync(output, CancellationToken.None);
        return [.. output.Records.Select(r => (long)r["id"]!)];
    }

    [Fact]
    public async Task ParquetSource_LargeFileInFourShards_SplitsByRowGroupWithoutOverlapOrLoss()
    {
        using var folder = new TestFolder();
        await WriteRowGroupsAsync(folder.PathOf("in/big.parquet"), groups: 16, rowsPerGroup: 10);

        var shards = new List<List<long>>();
        for (var i = 0; i < 4; i++)
        {
            shards.Add(await IdsOfShardAsync(folder, new Shard(i, 4, "r1") { SplitParquetAboveBytes = 1 }));
        }

        Assert.Equal(Enumerable.Range(0, 160).Select(i => (long)i), shards.SelectMany(s => s).Order());
        Assert.True(shards.Count(s => s.Count > 0) > 1, "the one file was read by one shard only");
    }

    [Fact]
    public async Task ParquetSource_SmallFileInFourShards_IsReadWholeByOneShard()
    {
        using var folder = new TestFolder();
        await WriteRowGroupsAsync(folder.PathOf("in/small.parquet"), groups: 4, rowsPerGroup: 10);

        var counts = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            counts.Add((await IdsOfShardAsync(folder, new Shard(i, 4, "r1"))).Count);
        }

        Assert.Equal([0, 0, 0, 40], counts.Order());
    }
}
