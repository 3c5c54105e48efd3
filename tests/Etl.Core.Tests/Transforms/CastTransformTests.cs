// CastTransform on column batches: ValueConverter's values for every row, or the record path when one does not convert.
using Etl.Columns;
using Etl.Records;
using Etl.Transforms;
using static Etl.Core.Tests.Transforms.BatchParity;

namespace Etl.Core.Tests.Transforms;

public sealed class CastTransformTests
{
    private static CastTransform Cast(params (string Column, string Type)[] casts) =>
        new(new CastTransformSpec { Columns = casts.ToDictionary(c => c.Column, c => c.Type) });

    [Fact]
    public void CastTransform_TryApply_GivesTheRecordPathsRecords()
    {
        var batches = Orders(batches: 2, rows: 300);
        (string, string)[] casts = [("qty", "int64"), ("amount", "string"), ("price", "decimal(18,3)"), ("created", "date"), ("flag", "string"), ("missing", "int32")];

        var expected = RecordPath(Cast(casts), batches);
        var actual = OutputRecords(BatchPath(Cast(casts), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Theory]
    [InlineData("qty", "int64")]
    [InlineData("qty", "double")]
    [InlineData("qty", "decimal(9,2)")]
    [InlineData("id", "int32")]
    [InlineData("id", "double")]
    [InlineData("id", "decimal(18,0)")]
    [InlineData("amount", "double")]
    [InlineData("amount", "decimal(10,3)")]
    [InlineData("flag", "int64")]
    [InlineData("flag", "int32")]
    [InlineData("created", "date")]
    [InlineData("day", "timestamp")]
    public void CastTransform_TryApply_BetweenTypedColumns_GivesTheRecordPathsRecords(string column, string type)
    {
        var batches = Orders(batches: 2, rows: 200);

        var expected = RecordPath(Cast((column, type)), batches);
        var actual = OutputRecords(BatchPath(Cast((column, type)), batches));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void CastTransform_TryApply_DecimalsWithTrailingZeros_TakeTheScaleAsOnTheRecordPath()
    {
        var batch = Single("amount", ColumnKind.Decimal, 1.50m, 2.000m, null);

        var expected = RecordPath(Cast(("amount", "decimal(18,1)")), [batch]);
        var actual = OutputRecords(BatchPath(Cast(("amount", "decimal(18,1)")), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void CastTransform_TryApply_LongOutsideInt32_ReturnsNull()
    {
        var batch = Single("n", ColumnKind.Int64, 1L, 3_000_000_000L);

        Assert.Null(Cast(("n", "int32")).TryApply(batch));
    }

    [Fact]
    public void CastTransform_TryApply_IntegerBeyondThePrecision_ReturnsNull()
    {
        var batch = Single("n", ColumnKind.Int64, 1L, 123_456L);

        Assert.Null(Cast(("n", "decimal(6,2)")).TryApply(batch));
    }

    [Fact]
    public void CastTransform_TryApply_TextToNumbers_GivesTheRecordPathsRecords()
    {
        var batch = Single("n", ColumnKind.String, "12", " 7", "", null, "-3");

        var expected = RecordPath(Cast(("n", "int64")), [batch]);
        var actual = OutputRecords(BatchPath(Cast(("n", "int64")), [batch]));

        Assert.Equal(Describe(expected.Records), Describe(actual));
    }

    [Fact]
    public void CastTransform_TryApply_ColumnAlreadyOfTheType_IsShared()
    {
        var batch = Orders(batches: 1, rows: 50)[0];

        var output = Cast(("amount", "decimal(18,2)"), ("status", "string")).TryApply(batch)!.Value.Batch;

        Assert.Same(batch, output);
    }

    [Fact]
    public void CastTransform_TryApply_DecimalsThatDoNotFitTheScale_ReturnsNull()
    {
        var batch = Single("amount", ColumnKind.Decimal, 1.5m, 2.25m);

        Assert.Null(Cast(("amount", "decimal(18,1)")).TryApply(batch));
    }

    [Fact]
    public void CastTransform_TryApply_ValueThatDoesNotConvert_ReturnsNull()
    {
        var batch = Single("n", ColumnKind.String, "12", "twelve");

        Assert.Null(Cast(("n", "int64")).TryApply(batch));
    }

    [Fact]
    public void CastTransform_TryApply_NullInANotNullType_ReturnsNull()
    {
        var batch = Single("n", ColumnKind.Int64, 1L, null);

        Assert.Null(Cast(("n", "int64 not null")).TryApply(batch));
    }

    [Fact]
    public void CastTransform_Apply_ValueThatDoesNotConvert_LeavesTheRecordAsItCameIn()
    {
        var record = new Etl.Records.Record();
        record.Set("a", "1");
        record.Set("b", "two");

        var failure = Assert.Throws<RecordException>(() => Cast(("a", "int64"), ("b", "int64")).Apply(record, new List<Etl.Records.Record>()));

        Assert.Equal("b", failure.Column);
        Assert.Equal("1", record["a"]);
        Assert.Equal("two", record["b"]);
    }
}
