// ColumnType: parsing the type texts a spec declares, and their canonical text.
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class ColumnTypeTests
{
    [Theory]
    [InlineData("string", ColumnKind.String, true, 0, 0)]
    [InlineData("bool", ColumnKind.Bool, true, 0, 0)]
    [InlineData("int32", ColumnKind.Int32, true, 0, 0)]
    [InlineData("int64", ColumnKind.Int64, true, 0, 0)]
    [InlineData("double", ColumnKind.Double, true, 0, 0)]
    [InlineData("decimal(18,2)", ColumnKind.Decimal, true, 18, 2)]
    [InlineData("decimal( 38 , 9 )", ColumnKind.Decimal, true, 38, 9)]
    [InlineData("decimal(1,0)", ColumnKind.Decimal, true, 1, 0)]
    [InlineData("date", ColumnKind.Date, true, 0, 0)]
    [InlineData("timestamp", ColumnKind.Timestamp, true, 0, 0)]
    [InlineData("int64 not null", ColumnKind.Int64, false, 0, 0)]
    [InlineData("  decimal(10,10)   NOT   NULL ", ColumnKind.Decimal, false, 10, 10)]
    [InlineData("Timestamp", ColumnKind.Timestamp, true, 0, 0)]
    public void Parse_ValidText_GivesKindNullabilityPrecisionAndScale(string text, ColumnKind kind, bool nullable, int precision, int scale)
    {
        Assert.Equal(new ColumnType(kind, nullable, precision, scale), ColumnType.Parse(text));
    }

    [Theory]
    [InlineData("integer")]
    [InlineData("decimal")]
    [InlineData("decimal(18)")]
    [InlineData("decimal(0,0)")]
    [InlineData("decimal(39,2)")]
    [InlineData("decimal(2,3)")]
    [InlineData("decimal(18,-1)")]
    [InlineData("string(10)")]
    [InlineData("int64 null")]
    [InlineData("not null")]
    [InlineData("")]
    public void TryParse_InvalidText_IsRefused(string text)
    {
        Assert.False(ColumnType.TryParse(text, out var type));
        Assert.Null(type);
    }

    [Fact]
    public void Parse_InvalidText_NamesTheTypesAndTheText()
    {
        var e = Assert.Throws<FormatException>(() => ColumnType.Parse("decimal(18)"));

        Assert.Equal("expected one of string, bool, int32, int64, double, decimal(p,s), date, timestamp (optionally followed by 'not null'); got \"decimal(18)\"", e.Message);
    }

    [Theory]
    [InlineData("int64", "int64")]
    [InlineData("DECIMAL( 18 , 2 )", "decimal(18,2)")]
    [InlineData("timestamp not null", "timestamp not null")]
    public void ToString_ParsedType_IsTheCanonicalText(string text, string expected)
    {
        Assert.Equal(expected, ColumnType.Parse(text).ToString());
    }

    [Theory]
    [InlineData("decimal(18,2)", true)]
    [InlineData("int64 not null", true)]
    [InlineData("decimal(18)", false)]
    [InlineData("integer", false)]
    public void SchemaPattern_AgreesWithTheParserOnLowerCaseTexts(string text, bool valid)
    {
        Assert.Equal((valid, valid), (System.Text.RegularExpressions.Regex.IsMatch(text, ColumnType.SchemaPattern), ColumnType.TryParse(text, out _)));
    }
}
