// PartitionBuffer: rows held in a small budget spill to sorted runs, merge when there are too many, and come back per
// partition, every row once, in the order they came.
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Sinks;
using Etl.Storage;

namespace Etl.Core.Tests.Sinks;

public sealed class PartitionBufferTests : IDisposable
{
    private const long SmallBudget = 2L << 20;

    private static readonly TableSchema Rows = TestRun.Schema(("id", "int64 not null"), ("note", "string"));

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private PartitionBuffer Buffer(int maxRuns) =>
        new(new RowCodec(Rows, [0, 1]), SmallBudget, maxRuns, ScratchFolder.Create(_folder.PathOf("staging"), "_spill-0"));

    /// <summary>Drains <paramref name="buffer"/> into partition → ids in the order they came out, checking batches and order.</summary>
    private static async Task<List<(string Partition, List<long> Ids)>> DrainAsync(PartitionBuffer buffer, int batchSize)
    {
        var drained = new List<(string, List<long>)>();
        List<long>? current = null;
        await buffer.DrainAsync(batchSize, (partition, rows) =>
        {
            Assert.InRange(rows.RowCount, 1, batchSize);
            if (current is null)
            {
                current = [];
                drained.Add((partition, current));
            }
            current.AddRange(Enumerable.Range(0, rows.RowCount).Select(r => (long)rows.Columns[0].GetValue(r)!));
            return Task.CompletedTask;
        }, partition =>
        {
            Assert.Equal(partition, drained[^1].Item1);
            current = null;
            return Task.CompletedTask;
        });
        return drained;
    }

    [Fact]
    public async Task PartitionBuffer_RowsBeyondTheBudget_DrainEveryRowOncePerPartitionInArrivalOrder()
    {
        using var buffer = Buffer(maxRuns: 100);
        const int rows = 120_000;
        for (long id = 0; id < rows; id++)
        {
            buffer.Add($"p={id % 37:D2}", [id, $"a note long enough to fill the budget {id}"]);
        }

        var drained = await DrainAsync(buffer, batchSize: 1_000);

        Assert.True(buffer.SpilledRows > 0, "the budget never filled");
        Assert.Equal([.. Enumerable.Range(0, 37).Select(p => $"p={p:D2}")], drained.Select(d => d.Partition));
        Assert.All(drained, d => Assert.Equal(Enumerable.Range(0, rows).Where(i => i % 37 == int.Parse(d.Partition[2..])).Select(i => (long)i), d.Ids));
    }

    [Fact]
    public async Task PartitionBuffer_MoreRunsThanAllowedOpen_MergesThemAndKeepsEveryRow()
    {
        using var buffer = Buffer(maxRuns: 2);
        const int rows = 300_000;
        var maxRuns = 0;
        for (long id = 0; id < rows; id++)
        {
            buffer.Add($"p={id % 1000:D4}", [id, $"note {id} with some text"]);
            maxRuns = Math.Max(maxRuns, buffer.Runs);
        }

        var drained = await DrainAsync(buffer, batchSize: 64);

        Assert.InRange(maxRuns, 1, 2);
        Assert.True(buffer.SpilledRows > 3 * SmallBudget / 40, $"expected several spills, spilled {buffer.SpilledRows} rows");
        Assert.Equal(1000, drained.Count);
        Assert.Equal(Enumerable.Range(0, rows).Select(i => (long)i), drained.SelectMany(d => d.Ids).Order());
        Assert.All(drained, d => Assert.Equal(d.Ids.Order(), d.Ids));
    }

    [Fact]
    public async Task PartitionBuffer_AfterDrain_LeavesNoScratchFiles()
    {
        using var buffer = Buffer(maxRuns: 4);
        for (long id = 0; id < 100_000; id++)
        {
            buffer.Add($"p={id % 10}", [id, $"some text {id}"]);
        }

        await DrainAsync(buffer, batchSize: 500);

        Assert.Empty(Directory.EnumerateFiles(_folder.PathOf("staging/_spill-0")));
    }
}
