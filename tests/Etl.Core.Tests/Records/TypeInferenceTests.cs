// TypeInference: the type a column of text (CSV) or JSON values is read as, when no schema declares it.
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class TypeInferenceTests
{
    [Theory]
    [InlineData("42", ColumnKind.Int64)]
    [InlineData("-7", ColumnKind.Int64)]
    [InlineData("0", ColumnKind.Int64)]
    [InlineData("1.5", ColumnKind.Double)]
    [InlineData("-1.5E+300", ColumnKind.Double)]
    [InlineData("true", ColumnKind.Bool)]
    [InlineData("FALSE", ColumnKind.Bool)]
    [InlineData("2026-11-28", ColumnKind.Date)]
    [InlineData("2026-11-28T10:00:00Z", ColumnKind.Timestamp)]
    [InlineData("2026-11-28 10:00:00", ColumnKind.Timestamp)]
    [InlineData("2026-11-28T10:00:00.123+02:00", ColumnKind.Timestamp)]
    [InlineData("abc", ColumnKind.String)]
    [InlineData("01234", ColumnKind.String)]
    [InlineData(" 42", ColumnKind.String)]
    [InlineData("1,5", ColumnKind.String)]
    [InlineData("NaN", ColumnKind.String)]
    [InlineData("2026-13-45", ColumnKind.String)]
    [InlineData("0000-01-01T00:00:00Z", ColumnKind.String)]
    public void KindOfText_Value_IsReadAsDuckDbWouldRead(string text, ColumnKind expected)
    {
        Assert.Equal(expected, TypeInference.KindOfText(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void KindOfText_NullOrEmpty_SaysNothing(string? text)
    {
        Assert.Null(TypeInference.KindOfText(text));
    }

    [Theory]
    [InlineData(new[] { "1", "2", null }, "int64")]
    [InlineData(new[] { "1", "2.5" }, "double")]
    [InlineData(new[] { "true", null, "false" }, "bool")]
    [InlineData(new[] { "2026-11-28", "2026-11-28T10:00:00Z" }, "timestamp")]
    [InlineData(new[] { "1", "abc" }, "string")]
    [InlineData(new[] { "true", "1" }, "string")]
    [InlineData(new string?[] { null, null }, "string")]
    [InlineData(new string[0], "string")]
    public void Infer_TextColumn_TakesTheNarrowestTypeEveryValueFits(string?[] values, string expected)
    {
        Assert.Equal(ColumnType.Parse(expected), TypeInference.Infer(values));
    }

    [Fact]
    public void Infer_JsonNumbers_WidenFromInt64ToDouble()
    {
        Assert.Equal(ColumnType.Parse("double"), TypeInference.Infer([1L, 2.5, null]));
    }

    [Fact]
    public void Infer_Decimals_KeepTheLargestScale()
    {
        Assert.Equal(ColumnType.Parse("decimal(38,3)"), TypeInference.Infer([1.5m, 2.125m, 3L]));
    }

    [Fact]
    public void Infer_TypedValues_KeepTheirType()
    {
        Assert.Equal(
            [ColumnType.Parse("bool"), ColumnType.Parse("int32"), ColumnType.Parse("date"), ColumnType.Parse("timestamp")],
            new[] { TypeInference.Infer([true]), TypeInference.Infer([1]), TypeInference.Infer([new DateOnly(2026, 1, 1)]), TypeInference.Infer([DateTime.UnixEpoch]) });
    }
}
