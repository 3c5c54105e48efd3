// RenameTransform on column batches: the record path's names and values, without copying a column.
using Etl.Transforms;
using static Etl.Core.Tests.Transforms.BatchParity;

namespace Etl.Core.Tests.Transforms;

public sealed class RenameTransformTests
{
    private static RenameTransform Rename(params (string From, string To)[] renames) =>
        new(new RenameTransformSpec { Columns = renames.ToDictionary(r => r.From, r => r.To) });

    [Theory]
    [InlineData("amount", "total")]
    [InlineData("amount", "status")]
    [InlineData("status", "id")]
    [InlineData("missing", "id")]
    [InlineData("id", "id")]
    public void RenameTransform_TryApply_GivesTheRecordPathsRecords(string from, string to)
    {
        var batches = Orders(batches: 2, rows: 40);

        var expected = RecordPath(Rename((from, to)), batches);
        var actual = OutputRecords(BatchPath(Rename((from, to)), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void RenameTransform_TryApply_ChainOfRenames_GivesTheRecordPathsRecords()
    {
        var batches = Orders(batches: 1, rows: 40);
        (string, string)[] renames = [("id", "qty"), ("qty", "amount"), ("day", "when")];

        var expected = RecordPath(Rename(renames), batches);
        var actual = OutputRecords(BatchPath(Rename(renames), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void RenameTransform_TryApply_CopiesNoColumn()
    {
        var batch = Orders(batches: 1, rows: 40)[0];

        var output = Rename(("amount", "total")).TryApply(batch)!.Value.Batch;

        Assert.Equal(batch.Columns, output.Columns);
    }

    [Fact]
    public void RenameTransform_TryApply_BatchesOfOneShape_ShareOneNameArray()
    {
        var batches = Orders(batches: 2, rows: 40);
        var rename = Rename(("amount", "total"));

        Assert.Same(rename.TryApply(batches[0])!.Value.Batch.Names, rename.TryApply(batches[1])!.Value.Batch.Names);
    }

    [Fact]
    public void RenameTransform_TryApply_NothingToRename_ReturnsTheBatchItself()
    {
        var batch = Orders(batches: 1, rows: 40)[0];

        Assert.Same(batch, Rename(("missing", "other")).TryApply(batch)!.Value.Batch);
    }
}
