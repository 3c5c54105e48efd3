// ColumnCast: a whole column converts to exactly what ValueConverter gives each of its values, or to nothing when a value
// does not convert (the record path then dead-letters that row).
using Etl.Columns;
using Etl.Records;

namespace Etl.Core.Tests.Columns;

public sealed class ColumnCastTests
{
    private static NumberColumn Numbers(params object?[] values)
    {
        var builder = new ScalarColumnBuilder(values.Length);
        foreach (var value in values)
        {
            switch (value)
            {
                case null: builder.AddNull(); break;
                case long l: builder.Add(l); break;
                case double d: builder.Add(d); break;
            }
        }
        return Assert.IsType<NumberColumn>(builder.Build());
    }

    private static StringColumn Strings(params string?[] values) => new(values, values.Length);

    /// <summary>The column cast, checked value by value against ValueConverter: all rows convert and agree, or the cast
    /// gives null because some row does not convert.</summary>
    private static void AssertAgreesWithValueConverter(Column column, string type)
    {
        var declared = ColumnType.Parse(type);
        var cast = ColumnCast.Convert(column, declared);
        var expected = Enumerable.Range(0, column.Length)
            .Select(r => (Converts: ValueConverter.TryConvert(column.GetValue(r), declared, out var value, out _), Value: value))
            .ToList();
        if (expected.Any(e => !e.Converts))
        {
            Assert.Null(cast);
            return;
        }
        Assert.NotNull(cast);
        Assert.Equal(expected.Select(e => e.Value), Enumerable.Range(0, cast.Length).Select(cast.GetValue));
        // Decimals compare equal across scales (1.5 == 1.50): the scale must be the same too.
        Assert.Equal(expected.Select(e => (e.Value as decimal?)?.Scale), Enumerable.Range(0, cast.Length).Select(r => (cast.GetValue(r) as decimal?)?.Scale));
    }

    [Theory]
    [InlineData("decimal(10,2)")]
    [InlineData("double")]
    [InlineData("int64")]
    [InlineData("int32")]
    [InlineData("decimal(10,2) not null")]
    public void Convert_MixedIntegersAndFractions_GivesWhatValueConverterGives(string type)
    {
        AssertAgreesWithValueConverter(Numbers(237L, 440.75, null, 6.5, -3L), type);
        AssertAgreesWithValueConverter(Numbers(237L, 440.0, 8L), type);
    }

    [Theory]
    [InlineData("decimal(10,2)", 1.234)]
    [InlineData("decimal(4,1)", 12345.5)]
    [InlineData("decimal(38,2)", 1e30)]
    [InlineData("int64", 2.5)]
    [InlineData("int64", 1e19)]
    [InlineData("int32", 3e9)]
    public void Convert_MixedNumbersWithOneThatDoesNotFit_GivesNoColumn(string type, double value)
    {
        var column = Numbers(1L, value);

        Assert.Null(ColumnCast.Convert(column, ColumnType.Parse(type)));
        AssertAgreesWithValueConverter(column, type);
    }

    [Fact]
    public void Convert_LongsBeyondInt32_GiveNoInt32Column()
    {
        AssertAgreesWithValueConverter(Numbers(0.5, 3_000_000_000L), "int32");
        AssertAgreesWithValueConverter(Numbers(2.0, 3_000_000_000L), "int32");
    }

    [Theory]
    [InlineData("timestamp")]
    [InlineData("timestamp not null")]
    public void Convert_IsoText_GivesTheTimestampsValueConverterGives(string type)
    {
        AssertAgreesWithValueConverter(Strings("2026-01-01T00:00:09Z", "2026-01-01 10:11:12.5+02:00", null, "", "2026-02-03",
            " 2026-02-03T04:05 ", "2026-01-01T00:00:09.1234567"), type);
        AssertAgreesWithValueConverter(Strings("2026-01-01T00:00:09Z", "2026-13-01T00:00:00Z"), type);
        AssertAgreesWithValueConverter(Strings("yesterday"), type);
    }
}
