// RowGroup: slices of ranges over several batches keep the rows in order and share the batches.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Sinks;

namespace Etl.Core.Tests.Sinks;

public sealed class RowGroupTests
{
    private static readonly TableSchema Ids = TestRun.Schema(("id", "int64"));

    private static ColumnBatch Batch(params long[] ids) => ColumnBatch.FromRows(Ids, [.. ids.Select(i => new object?[] { i })]);

    private static List<object?> Ids_(RowGroup group) =>
        [.. group.Parts.SelectMany(p => Enumerable.Range(p.Start, p.Count).Select(r => p.Batch.Columns[0].GetValue(r)))];

    [Fact]
    public void RowGroup_SliceAcrossBatches_TakesTheRowsInOrder()
    {
        var group = new RowGroup([new BatchRange(Batch(0, 1, 2), 1, 2), new BatchRange(Batch(3, 4), 0, 2), new BatchRange(Batch(5, 6, 7), 0, 3)]);

        var slice = group.Slice(1, 4);

        Assert.Equal((4, "2,3,4,5"), (slice.RowCount, string.Join(',', Ids_(slice))));
    }

    [Fact]
    public void RowGroup_SliceOfEveryRow_IsTheGroupItself()
    {
        var group = RowGroup.Of(Batch(1, 2));

        Assert.Same(group, group.Slice(0, 2));
    }

    [Fact]
    public void RowGroup_Slice_SharesTheBatches()
    {
        var batch = Batch(1, 2, 3);

        var slice = RowGroup.Of(batch).Slice(1, 1);

        Assert.Equal(new BatchRange(batch, 1, 1), Assert.Single(slice.Parts));
    }
}
