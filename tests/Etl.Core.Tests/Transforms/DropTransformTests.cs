// DropTransform on column batches: the record path's remaining fields, without copying a column.
using Etl.Transforms;
using static Etl.Core.Tests.Transforms.BatchParity;

namespace Etl.Core.Tests.Transforms;

public sealed class DropTransformTests
{
    private static DropTransform Drop(params string[] columns) => new(new DropTransformSpec { Columns = columns });

    [Theory]
    [InlineData("amount")]
    [InlineData("id", "flag")]
    [InlineData("missing", "status")]
    [InlineData("status", "status")]
    public void DropTransform_TryApply_GivesTheRecordPathsRecords(params string[] columns)
    {
        var batches = Orders(batches: 2, rows: 40);

        var expected = RecordPath(Drop(columns), batches);
        var actual = OutputRecords(BatchPath(Drop(columns), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void DropTransform_TryApply_KeepsTheOtherColumnObjects()
    {
        var batch = Orders(batches: 1, rows: 40)[0];

        var output = Drop("amount").TryApply(batch)!.Value.Batch;

        Assert.Equal(batch.Columns.Where((_, i) => batch.Names[i] != "amount"), output.Columns);
    }

    [Fact]
    public void DropTransform_TryApply_MissingColumn_ReturnsTheBatchItself()
    {
        var batch = Orders(batches: 1, rows: 40)[0];

        Assert.Same(batch, Drop("missing").TryApply(batch)!.Value.Batch);
    }
}
