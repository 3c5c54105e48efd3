// DeriveTransform on column batches: the values, types and column positions the record path gives, or the record path.
using Etl.Columns;
using Etl.Records;
using Etl.Transforms;
using static Etl.Core.Tests.Transforms.BatchParity;

namespace Etl.Core.Tests.Transforms;

public sealed class DeriveTransformTests
{
    private static DeriveTransform Derive(string column, string expression) => new(new DeriveTransformSpec { Column = column, Expression = expression });

    [Theory]
    [InlineData("amount * 100")]
    [InlineData("qty + 1")]
    [InlineData("price / 3")]
    [InlineData("status + \"-\" + qty")]
    [InlineData("amount > 100 && flag == true")]
    [InlineData("created")]
    [InlineData("day")]
    [InlineData("\"abc\".Length")]
    [InlineData("qty == null ? \"none\" : \"some\"")]
    [InlineData("Math.Sqrt(4d)")]
    [InlineData("(int?)qty")]
    [InlineData("(float)id")]
    [InlineData("(object)\"abc\".Length")]
    [InlineData("flag == true ? (object)qty : status")]
    public void DeriveTransform_TryApply_GivesTheRecordPathsRecords(string expression)
    {
        var batches = Orders(batches: 3, rows: 400);

        var expected = RecordPath(Derive("out", expression), batches);
        var actual = OutputRecords(BatchPath(Derive("out", expression), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void DeriveTransform_BatchThatFallsBackAmongKernelBatches_GivesTheRecordPathsRecordsAndCounts()
    {
        var batches = Orders(batches: 4, rows: 200, leadingNulls: 30);
        batches[1] = Single("qty", ColumnKind.Int32, 5, 0, 2);
        const string expression = "amount / qty";

        var expected = RecordPath(Derive("out", expression), batches);
        var actual = MeshPath(Derive("out", expression), batches);

        Assert.Equal([.. Describe(expected.Records), $"failed {expected.Failed}"], [.. Describe(actual.Records), $"failed {actual.Failed}"]);
    }

    [Fact]
    public void DeriveTransform_TryApply_ManyThreadsOnOneTransform_GiveTheRecordPathsRecords()
    {
        // The first batch gives every field a type, so that no later null depends on which thread came first.
        var batches = Orders(batches: 16, rows: 300);
        var derive = Derive("out", "amount * qty + price");
        var expected = Describe(RecordPath(Derive("out", "amount * qty + price"), batches).Records);

        var actual = new List<string>[batches.Length];
        actual[0] = Describe(OutputRecords(BatchPath(derive, [batches[0]])));
        Parallel.For(1, batches.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, b => actual[b] = Describe(OutputRecords(BatchPath(derive, [batches[b]]))));

        Assert.Equal(expected, actual.SelectMany(r => r));
    }

    [Fact]
    public void DeriveTransform_TryApply_ExistingColumn_IsReplacedInPlace()
    {
        var batches = Orders(batches: 1, rows: 50);

        var expected = RecordPath(Derive("amount", "amount * 2"), batches);
        var actual = OutputRecords(BatchPath(Derive("amount", "amount * 2"), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void DeriveTransform_TryApply_NullFirstColumns_GivesTheRecordPathsRecords()
    {
        var batches = Orders(batches: 2, rows: 300, leadingNulls: 40);

        var expected = RecordPath(Derive("out", "amount * qty"), batches);
        var actual = OutputRecords(BatchPath(Derive("out", "amount * qty"), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void DeriveTransform_TryApply_LeadingNullsTypedByGuess_GivesTheRecordPathsRecords()
    {
        // With no type seen yet, the record path types the first row's nulls by guessing (text first): here its value
        // is "" (a string), and only the later rows are numbers.
        var batch = new ColumnBatch(["amount", "qty", "price"],
            [Column.FromValues(ColumnKind.Decimal, [211.57m, 2m, 3m]), Column.FromValues(ColumnKind.Int32, [null, 3, null]), Column.FromValues(ColumnKind.Double, [null, 1.5, 2.5])], 3);

        var expected = RecordPath(Derive("out", "amount * qty + price"), [batch]);
        var actual = OutputRecords(BatchPath(Derive("out", "amount * qty + price"), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void DeriveTransform_TryApply_AllNullColumn_GivesTheRecordPathsRecords()
    {
        var batch = Single("status", ColumnKind.String, null, null);

        var expected = RecordPath(Derive("out", "status"), [batch]);
        var actual = OutputRecords(BatchPath(Derive("out", "status"), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Theory]
    [InlineData("amount * 100", ColumnKind.Decimal)]
    [InlineData("qty + id", ColumnKind.Int64)]
    [InlineData("\"abc\".Length", ColumnKind.Int64)]
    [InlineData("status + \"!\"", ColumnKind.String)]
    [InlineData("amount > 100", ColumnKind.Bool)]
    [InlineData("created", ColumnKind.Timestamp)]
    [InlineData("day", ColumnKind.Date)]
    [InlineData("Math.Sqrt(4d)", ColumnKind.Double)]
    public void DeriveTransform_TryApply_ColumnKindFollowsTheExpressionsType(string expression, ColumnKind kind)
    {
        var batch = Orders(batches: 1, rows: 20)[0];

        var output = Derive("out", expression).TryApply(batch)!.Value.Batch;

        Assert.Equal(kind, output.Columns[output.IndexOf("out")].Kind);
    }

    [Fact]
    public void DeriveTransform_TryApply_TimeThatIsNotUtc_IsKeptAsTheRecordHoldsIt()
    {
        var batch = Single("id", ColumnKind.Int64, 1L);

        var expected = RecordPath(Derive("out", "DateTime.Parse(\"2024-06-01\")"), [batch]);
        var actual = OutputRecords(BatchPath(Derive("out", "DateTime.Parse(\"2024-06-01\")"), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void DeriveTransform_TryApply_SharesTheOtherColumns()
    {
        var batch = Orders(batches: 1, rows: 20)[0];

        var output = Derive("out", "qty + 1").TryApply(batch)!.Value.Batch;

        Assert.Equal(batch.Columns, output.Columns[..^1]);
    }

    [Fact]
    public void DeriveTransform_TryApply_BatchesOfOneShape_ShareOneNameArray()
    {
        var batches = Orders(batches: 2, rows: 20);
        var derive = Derive("out", "qty + 1");

        Assert.Same(derive.TryApply(batches[0])!.Value.Batch.Names, derive.TryApply(batches[1])!.Value.Batch.Names);
    }

    [Fact]
    public void DeriveTransform_TryApply_BoxedListsWithNulls_GivesTheRecordPathsRecords()
    {
        var batch = Single("items", null, new List<object?> { 1L, 2L }, null, new List<object?>(), null);

        var expected = RecordPath(Derive("n", "items == null ? -1 : items.Count"), [batch]);
        var actual = OutputRecords(BatchPath(Derive("n", "items == null ? -1 : items.Count"), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void DeriveTransform_TryApply_LeadingNullNoGuessedTypeFits_ReturnsNull()
    {
        var batch = Single("items", null, null, new List<object?> { 1L, 2L });

        Assert.Null(Derive("n", "items == null ? -1 : items.Count").TryApply(batch));
    }

    [Fact]
    public void DeriveTransform_TryApply_RowThatFails_ReturnsNull()
    {
        var batch = Single("qty", ColumnKind.Int64, 4L, 0L);

        Assert.Null(Derive("out", "10 / qty").TryApply(batch));
    }

    [Fact]
    public void DeriveTransform_TryApply_NullThatFails_ReturnsNull()
    {
        var batch = Single("status", ColumnKind.String, "paid", null);

        Assert.Null(Derive("out", "status.ToUpperInvariant()").TryApply(batch));
    }

    [Fact]
    public void DeriveTransform_TryApply_BoxedValuesOfSeveralTypes_ReturnsNull()
    {
        var batch = Single("items", null, new List<object?> { 1L }, "none");

        Assert.Null(Derive("out", "items.Count").TryApply(batch));
    }

    [Fact]
    public void DeriveTransform_TryApply_AddsNoRows()
    {
        var batch = Orders(batches: 1, rows: 30)[0];

        var output = Derive("out", "qty + 1").TryApply(batch)!.Value;

        Assert.Equal((30, 0, 0), (output.Batch.RowCount, output.Filtered, output.Added));
    }
}
