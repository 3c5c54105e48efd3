// ValueConverter: every column type, nulls, the refusal to round, overflow, and the reason texts.
using Etl.Records;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Records;

public sealed class ValueConverterTests
{
    private static object? Convert(object? value, string type)
    {
        Assert.True(ValueConverter.TryConvert(value, ColumnType.Parse(type), out var result, out var error), error);
        return result;
    }

    private static string Refusal(object? value, string type)
    {
        Assert.False(ValueConverter.TryConvert(value, ColumnType.Parse(type), out var result, out var error));
        Assert.Null(result);
        return error!;
    }

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData(12L, "12")]
    [InlineData(1.5, "1.5")]
    [InlineData(true, "true")]
    public void String_AnyScalar_IsItsInvariantText(object value, string expected)
    {
        Assert.Equal(expected, Convert(value, "string"));
    }

    [Fact]
    public void String_EmptyText_StaysEmptyText()
    {
        Assert.Equal("", Convert("", "string"));
    }

    [Fact]
    public void String_NestedRecord_IsItsJson()
    {
        var r = new Record();
        r.Set("a", 1L);
        r.Set("b", new List<object?> { "x", null });

        Assert.Equal("""{"a":1,"b":["x",null]}""", Convert(r, "string"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(" FALSE ", false)]
    [InlineData("yes", true)]
    [InlineData("n", false)]
    [InlineData("1", true)]
    [InlineData(0L, false)]
    public void Bool_AcceptedSpellings_Convert(object value, bool expected)
    {
        Assert.Equal(expected, Convert(value, "bool"));
    }

    [Theory]
    [InlineData("maybe", "bool", "\"maybe\" is not a bool")]
    [InlineData(2L, "bool", "\"2\" is not a bool")]
    public void Bool_OtherValues_AreRefused(object value, string type, string expected)
    {
        Assert.Equal(expected, Refusal(value, type));
    }

    [Theory]
    [InlineData("2147483647", 2147483647)]
    [InlineData(" -2147483648 ", -2147483648)]
    [InlineData(7L, 7)]
    [InlineData(7.0, 7)]
    public void Int32_InRange_Converts(object value, int expected)
    {
        Assert.Equal(expected, Convert(value, "int32"));
    }

    [Theory]
    [InlineData("2147483648", "\"2147483648\" is not a int32 (out of range)")]
    [InlineData(3000000000L, "\"3000000000\" is not a int32 (out of range)")]
    [InlineData("1.5", "\"1.5\" is not a int32")]
    [InlineData(1.5, "\"1.5\" is not a int32")]
    [InlineData("-2147483649", "\"-2147483649\" is not a int32 (out of range)")]
    [InlineData("N/A", "\"N/A\" is not a int32")]
    public void Int32_OutOfRangeOrFractional_IsRefused(object value, string expected)
    {
        Assert.Equal(expected, Refusal(value, "int32"));
    }

    [Theory]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("+42", 42L)]
    public void Int64_Extremes_Convert(string value, long expected)
    {
        Assert.Equal(expected, Convert(value, "int64"));
    }

    [Theory]
    [InlineData("9223372036854775808", "\"9223372036854775808\" is not a int64 (out of range)")]
    [InlineData(1e19, "\"1E+19\" is not a int64 (out of range)")]
    [InlineData("12a", "\"12a\" is not a int64")]
    [InlineData("1,000", "\"1,000\" is not a int64")]
    [InlineData(" -99999999999999999999 ", "\" -99999999999999999999 \" is not a int64 (out of range)")]
    [InlineData("--1", "\"--1\" is not a int64")]
    [InlineData("+-1", "\"+-1\" is not a int64")]
    [InlineData("N/A", "\"N/A\" is not a int64")]
    public void Int64_OverflowOrText_IsRefused(object value, string expected)
    {
        Assert.Equal(expected, Refusal(value, "int64"));
    }

    [Fact]
    public void Int64_WholeDecimal_Converts()
    {
        Assert.Equal(12L, Convert(12.00m, "int64"));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-1.5E+300", -1.5e300)]
    [InlineData(3L, 3.0)]
    public void Double_NumbersAndText_Convert(object value, double expected)
    {
        Assert.Equal(expected, Convert(value, "double"));
    }

    [Theory]
    [InlineData("N/A", "\"N/A\" is not a double")]
    [InlineData("1.5.2", "\"1.5.2\" is not a double")]
    [InlineData(" ", "\" \" is not a double")]
    public void Double_TextThatIsNoNumber_IsRefused(string value, string expected)
    {
        Assert.Equal(expected, Refusal(value, "double"));
    }

    [Theory]
    [InlineData("12.5", "12.50")]
    [InlineData("0.1", "0.10")]
    [InlineData("-7", "-7.00")]
    [InlineData("9999999999999999.99", "9999999999999999.99")]
    [InlineData("1.50", "1.50")]
    [InlineData("1e2", "100.00")]
    public void Decimal18_2_ExactValues_ConvertWithoutLoss(string value, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Convert(value, "decimal(18,2)"));
    }

    [Fact]
    public void Decimal18_2_DoubleWithTwoDecimals_IsExact()
    {
        Assert.Equal(162.59m, Convert(162.59, "decimal(18,2)"));
    }

    [Theory]
    [InlineData("1.005")]
    [InlineData("0.001")]
    [InlineData("10.555")]
    public void Decimal18_2_MoreDecimalsThanTheScale_IsRefusedRatherThanRounded(string value)
    {
        Assert.Equal($"\"{value}\" is not a decimal(18,2) (more than 2 digits after the decimal point)", Refusal(value, "decimal(18,2)"));
    }

    [Fact]
    public void Decimal18_2_DecimalValueWithMoreDecimals_IsRefused()
    {
        Assert.Equal("\"1.005\" is not a decimal(18,2) (more than 2 digits after the decimal point)", Refusal(1.005m, "decimal(18,2)"));
    }

    [Theory]
    [InlineData("10000000000000000.00")]
    [InlineData("-10000000000000000")]
    public void Decimal18_2_TooManyIntegerDigits_IsOutOfRange(string value)
    {
        Assert.Equal($"\"{value}\" is not a decimal(18,2) (out of range)", Refusal(value, "decimal(18,2)"));
    }

    [Fact]
    public void Decimal38_9_LargestDotNetDecimal_Converts()
    {
        Assert.Equal(12345678901234567890.123456789m, Convert("12345678901234567890.123456789", "decimal(38,9)"));
    }

    [Fact]
    public void Decimal38_9_BeyondDotNetDecimal_IsOutOfRange()
    {
        Assert.Equal("\"1e30\" is not a decimal(38,9) (out of range)", Refusal("1e30", "decimal(38,9)"));
    }

    [Theory]
    [InlineData("12,5O")]
    [InlineData("N/A")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData(" ")]
    public void Decimal_Text_IsRefused(string value)
    {
        Assert.Equal($"\"{value}\" is not a decimal(18,2)", Refusal(value, "decimal(18,2)"));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-99999999999999999999999999999999")]
    public void Decimal_TextBeyondDotNetDecimal_IsOutOfRange(string value)
    {
        Assert.Equal($"\"{value}\" is not a decimal(38,9) (out of range)", Refusal(value, "decimal(38,9)"));
    }

    [Theory]
    [InlineData("2026-11-28", 2026, 11, 28)]
    [InlineData("2026-11-28T00:00:00Z", 2026, 11, 28)]
    [InlineData("1970-01-01", 1970, 1, 1)]
    public void Date_IsoText_Converts(string value, int y, int m, int d)
    {
        Assert.Equal(new DateOnly(y, m, d), Convert(value, "date"));
    }

    [Fact]
    public void Date_TimestampWithATimeOfDay_IsRefusedRatherThanTruncated()
    {
        Assert.Equal("\"2026-11-28T10:00:00Z\" is not a date (it has a time of day, which a date column would lose; declare the column timestamp)",
            Refusal("2026-11-28T10:00:00Z", "date"));
    }

    [Theory]
    [InlineData("2026-11-28T13:45:30Z", "2026-11-28T13:45:30.0000000Z")]
    [InlineData("2026-11-28T15:45:30+02:00", "2026-11-28T13:45:30.0000000Z")]
    [InlineData("2026-11-28T13:45:30.1234567Z", "2026-11-28T13:45:30.1234567Z")]
    [InlineData("2026-11-28 13:45:30", "2026-11-28T13:45:30.0000000Z")]
    [InlineData("2026-11-28T13:45", "2026-11-28T13:45:00.0000000Z")]
    [InlineData("2026-11-28", "2026-11-28T00:00:00.0000000Z")]
    [InlineData("2026-11-28T00:30:00-01:00", "2026-11-28T01:30:00.0000000Z")]
    public void Timestamp_IsoText_IsUtcAndTakenAsUtcWithoutOffset(string value, string expectedUtc)
    {
        var result = Assert.IsType<DateTime>(Convert(value, "timestamp"));

        Assert.Equal((DateTimeKind.Utc, expectedUtc), (result.Kind, result.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Timestamp_UnixSeconds_AreUtc()
    {
        Assert.Equal(new DateTime(2026, 11, 28, 0, 0, 0, DateTimeKind.Utc), Convert(1795824000L, "timestamp"));
    }

    [Theory]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-11-28T24:00:00Z")]
    [InlineData("yesterday")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:00:00-02:00")]
    [InlineData("0001-01-01T00:00:00+02:00")]
    [InlineData("2026-11-28T10:00:00+25:00")]
    [InlineData("2026-11-28T10:00:00+01:60")]
    public void Timestamp_ImpossibleOrOutOfRange_IsRefusedNotThrown(string value)
    {
        Assert.StartsWith($"\"{value}\" is not a timestamp", Refusal(value, "timestamp"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("int64")]
    [InlineData("string")]
    [InlineData("decimal(18,2)")]
    public void Null_InANullableColumn_IsNull(string type)
    {
        Assert.Null(Convert(null, type));
    }

    [Theory]
    [InlineData("int64")]
    [InlineData("date")]
    public void EmptyText_InATypedColumn_IsNull(string type)
    {
        Assert.Null(Convert("", type));
    }

    [Theory]
    [InlineData(null, "int64 not null")]
    [InlineData("", "timestamp not null")]
    public void Null_InANotNullColumn_IsRefused(string? value, string type)
    {
        Assert.Equal($"null in a column declared {type}", Refusal(value, type));
    }

    [Fact]
    public void Describe_LongValue_IsCutAt200Characters()
    {
        Assert.Equal("\"" + new string('x', 200) + "…\"", ValueConverter.Describe(new string('x', 300)));
    }
}
