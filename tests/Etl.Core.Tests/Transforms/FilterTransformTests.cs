// FilterTransform on column batches: the rows the record path keeps, in order with their origins, or the record path.
using Etl.Columns;
using Etl.Records;
using Etl.Transforms;
using static Etl.Core.Tests.Transforms.BatchParity;

namespace Etl.Core.Tests.Transforms;

public sealed class FilterTransformTests
{
    private static FilterTransform Filter(string where) => new(new FilterTransformSpec { Where = where });

    [Theory]
    [InlineData("amount > 100 && status == \"paid\"")]
    [InlineData("qty >= 3 || flag == true")]
    [InlineData("price * 2 > 50")]
    [InlineData("status != \"\" && status != null")]
    [InlineData("created > DateTime.Parse(\"2024-06-01\")")]
    [InlineData("day < DateOnly.Parse(\"2024-07-01\")")]
    [InlineData("flag")]
    [InlineData("id % 3 == 0")]
    public void FilterTransform_TryApply_GivesTheRecordPathsRecords(string where)
    {
        var batches = Orders(batches: 3, rows: 500);

        var expected = RecordPath(Filter(where), batches);
        var actual = OutputRecords(BatchPath(Filter(where), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void FilterTransform_TryApply_NullFirstColumns_GivesTheRecordPathsRecords()
    {
        var batches = Orders(batches: 2, rows: 300, leadingNulls: 40);

        var expected = RecordPath(Filter("amount > 100 && status == \"paid\""), batches);
        var actual = OutputRecords(BatchPath(Filter("amount > 100 && status == \"paid\""), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void FilterTransform_TryApply_AllNullColumn_GivesTheRecordPathsRecords()
    {
        var batch = Single("amount", ColumnKind.Decimal, null, null, null);

        var expected = RecordPath(Filter("amount == null"), [batch]);
        var actual = OutputRecords(BatchPath(Filter("amount == null"), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void FilterTransform_TryApply_ColumnMissingFromBatch_GivesTheRecordPathsRecords()
    {
        var batches = Orders(batches: 1, rows: 50);

        var expected = RecordPath(Filter("discount == null && qty > 2"), batches);
        var actual = OutputRecords(BatchPath(Filter("discount == null && qty > 2"), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void FilterTransform_BatchThatFallsBackAmongKernelBatches_GivesTheRecordPathsRecordsAndCounts()
    {
        var batches = Orders(batches: 4, rows: 200, leadingNulls: 30);
        batches[2] = Single("qty", ColumnKind.Int32, 5, 0, 2);
        const string where = "10 / qty > 2 || amount > 100";

        var expected = RecordPath(Filter(where), batches);
        var actual = MeshPath(Filter(where), batches);

        Assert.Equal([.. Describe(expected.Records), $"filtered {expected.Filtered}, failed {expected.Failed}"], [.. Describe(actual.Records), $"filtered {actual.Filtered}, failed {actual.Failed}"]);
    }

    [Fact]
    public void FilterTransform_TryApply_CountsTheRowsItDrops()
    {
        var batch = Orders(batches: 1, rows: 400)[0];

        var output = Filter("amount > 100").TryApply(batch)!.Value;

        Assert.Equal((400, RecordPath(Filter("amount > 100"), [batch]).Filtered), (output.Batch.RowCount + output.Filtered, output.Filtered));
    }

    [Fact]
    public void FilterTransform_TryApply_EveryRowKept_ReturnsTheBatchItself()
    {
        var batch = Orders(batches: 1, rows: 100)[0];

        Assert.Same(batch, Filter("id >= 0").TryApply(batch)!.Value.Batch);
    }

    [Fact]
    public void FilterTransform_TryApply_RowThatFails_ReturnsNull()
    {
        var batch = Single("qty", ColumnKind.Int64, 4L, 0L, 2L);

        Assert.Null(Filter("10 / qty > 1").TryApply(batch));
    }

    [Fact]
    public void FilterTransform_TryApply_ResultNotBool_ReturnsNull()
    {
        var batch = Single("amount", ColumnKind.Decimal, 1m, 2m);

        Assert.Null(Filter("amount").TryApply(batch));
    }

    [Fact]
    public void FilterTransform_TryApply_TypesThatDoNotCompile_ReturnsNull()
    {
        var batch = Single("amount", ColumnKind.String, "lots");

        Assert.Null(Filter("amount > 100").TryApply(batch));
    }

    [Fact]
    public void FilterTransform_TryApply_BoxedValuesOfSeveralTypes_ReturnsNull()
    {
        var batch = Single("amount", null, 150L, "lots");

        Assert.Null(Filter("amount > 100").TryApply(batch));
    }

    [Fact]
    public void FilterTransform_TryApply_BoxedColumnOfNullsOnly_GivesTheRecordPathsRecords()
    {
        var batch = new ColumnBatch(["note", "qty"], [Column.FromValues(null, [null, null, null]), Column.FromValues(ColumnKind.Int64, [1L, 5L, 7L])], 3);

        var expected = RecordPath(Filter("note == null && qty > 2"), [batch]);
        var actual = OutputRecords(BatchPath(Filter("note == null && qty > 2"), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void FilterTransform_TryApply_BoxedListsOfOneType_GivesTheRecordPathsRecords()
    {
        var batch = Single("items", null, new List<object?> { 1L, 2L }, new List<object?> { 3L }, new List<object?> { 4L, 5L, 6L });

        var expected = RecordPath(Filter("items.Count > 1"), [batch]);
        var actual = OutputRecords(BatchPath(Filter("items.Count > 1"), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void FilterTransform_TryApply_DoubleThatIsNotADecimal_ReturnsNull()
    {
        var batch = Single("price", ColumnKind.Double, 1.5, double.PositiveInfinity);

        Assert.Null(Filter("price > 1").TryApply(batch));
    }

    [Fact]
    public void FilterTransform_TryApply_IntsAndDoubles_AreExactDecimalsAsOnTheRecordPath()
    {
        var batch = new ColumnBatch(["qty", "price"], [Column.FromValues(ColumnKind.Int32, [3, 2]), Column.FromValues(ColumnKind.Double, [0.1, 0.1])], 2);

        var kept = Filter("qty * price == 0.3").TryApply(batch)!.Value.Batch;

        Assert.Equal([3], kept.ToRecords().Select(r => r["qty"]));
    }

    [Fact]
    public void FilterTransform_TryApply_ManyThreadsOnOneTransform_GiveTheRecordPathsRecords()
    {
        // The first batch gives every field a type, so that no later null depends on which thread came first.
        var batches = Orders(batches: 16, rows: 300);
        var filter = Filter("amount > 100 && status == \"paid\"");
        var expected = Describe(RecordPath(Filter("amount > 100 && status == \"paid\""), batches).Records);

        var actual = new List<string>[batches.Length];
        actual[0] = Describe(OutputRecords(BatchPath(filter, [batches[0]])));
        Parallel.For(1, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, b => actual[b] = Describe(OutputRecords(BatchPath(filter, [batches[b]]))));

        Assert.Equal(expected, actual.SelectMany(r => r));
    }
}
