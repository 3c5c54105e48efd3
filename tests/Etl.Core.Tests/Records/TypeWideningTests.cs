// TypeWidening: which widenings keep every value, and that string is reached only when allowed.
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class TypeWideningTests
{
    private static string? Widen(string type, object value, bool toString = false) =>
        TypeWidening.Widen(ColumnType.Parse(type), value, toString)?.ToString();

    [Theory]
    [InlineData("int32", 5_000_000_000L, "int64")]
    [InlineData("int64", 2.5, "double")]
    [InlineData("int64", "2.5", "double")]
    [InlineData("decimal(38,2)", 1.125, null)]
    [InlineData("date", "2026-11-28T10:00:00Z", "timestamp")]
    [InlineData("int64", "n/a", null)]
    [InlineData("bool", 1L, null)]
    public void Widen_ValueOfAnotherType_TakesTheNarrowestLosslessType(string from, object value, string? expected) =>
        Assert.Equal(expected, Widen(from, value));

    [Fact]
    public void Widen_DecimalWithMoreDecimalPlaces_WidensTheScale() =>
        Assert.Equal("decimal(38,4)", Widen("decimal(38,2)", 1.2345m));

    [Fact]
    public void Widen_TextInNumberColumnWhenAllowed_WidensToString() =>
        Assert.Equal("string", Widen("int64", "n/a", toString: true));

    [Fact]
    public void Widen_NotNullColumn_StaysNotNull() =>
        Assert.Equal("double not null", Widen("int64 not null", 2.5));
}
