// ScalarColumnBuilder: the column ColumnOfValues would make of the same values, typed without boxing while it can.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;

namespace Etl.Core.Tests.Columns;

public sealed class ScalarColumnBuilderTests
{
    private static List<string> Values(Column column) => [.. Enumerable.Range(0, column.Length).Select(r => RecordText.Value(column.GetValue(r)))];

    [Fact]
    public void ScalarColumnBuilder_NullsBeforeTheFirstValue_StayNull()
    {
        var builder = new ScalarColumnBuilder(4);
        builder.AddNull();
        builder.AddNull();
        builder.Add(7L);
        builder.AddNull();

        var column = builder.Build();

        Assert.Equal(["null", "null", "Int64(7)", "null"], Values(column));
    }

    [Fact]
    public void ScalarColumnBuilder_OneKind_BuildsATypedColumn()
    {
        var builder = new ScalarColumnBuilder(2);
        builder.Add("a");
        builder.AddNull();

        Assert.IsType<StringColumn>(builder.Build());
    }

    [Fact]
    public void ScalarColumnBuilder_SecondKind_KeepsEveryValueBoxed()
    {
        var builder = new ScalarColumnBuilder(4);
        builder.AddNull();
        builder.Add(1L);
        builder.Add(2.5);
        builder.Add(true);

        var column = builder.Build();

        Assert.Equal(["null", "Int64(1)", "Double(2.5)", "Boolean(True)"], Values(column));
        Assert.IsType<ValueColumn>(column);
    }

    [Fact]
    public void ScalarColumnBuilder_Repeat_AddsTheLastValueOrNullAgain()
    {
        var builder = new ScalarColumnBuilder(5);
        builder.Repeat();
        builder.Add(3.5);
        builder.Repeat();
        builder.AddNull();
        builder.Repeat();

        Assert.Equal(["null", "Double(3.5)", "Double(3.5)", "null", "null"], Values(builder.Build()));
    }

    [Fact]
    public void ScalarColumnBuilder_NothingButNulls_BuildsANullColumn()
    {
        var builder = new ScalarColumnBuilder(2);
        builder.AddNull();
        builder.AddNull();

        Assert.Equal(["null", "null"], Values(builder.Build()));
    }

    [Fact]
    public void ScalarColumnBuilder_MoreRowsThanItsCapacity_GrowsAndKeepsEveryRow()
    {
        var builder = new ScalarColumnBuilder(1);
        builder.Add("a");
        builder.AddNull();
        builder.Add("b");
        builder.Repeat();
        builder.Add(1L);

        Assert.Equal(["\"a\"", "null", "\"b\"", "\"b\"", "Int64(1)"], Values(builder.Build()));
    }

    [Fact]
    public void ScalarColumnBuilder_IntegersAndFractions_KeepsEachNumberAsReadInANumberColumn()
    {
        var builder = new ScalarColumnBuilder(5);
        builder.Add(237L);
        builder.AddNull();
        builder.Add(440.75);
        builder.Repeat();
        builder.Add(9007199254740993L);

        var column = builder.Build();

        Assert.IsType<NumberColumn>(column);
        Assert.Equal(["Int64(237)", "null", "Double(440.75)", "Double(440.75)", "Int64(9007199254740993)"], Values(column));
    }

    [Fact]
    public void ScalarColumnBuilder_FractionsThenIntegers_KeepsEachNumberAsRead()
    {
        var builder = new ScalarColumnBuilder(1);
        builder.Add(1.5);
        builder.AddNull();
        builder.Add(2L);
        builder.Repeat();

        Assert.Equal(["Double(1.5)", "null", "Int64(2)", "Int64(2)"], Values(builder.Build()));
    }

    [Fact]
    public void ScalarColumnBuilder_TextAfterMixedNumbers_KeepsEveryValueBoxed()
    {
        var builder = new ScalarColumnBuilder(4);
        builder.Add(1L);
        builder.Add(2.5);
        builder.AddNull();
        builder.Add("x");

        var column = builder.Build();

        Assert.IsType<ValueColumn>(column);
        Assert.Equal(["Int64(1)", "Double(2.5)", "null", "\"x\""], Values(column));
    }

    [Fact]
    public void ScalarColumnBuilder_AnySequenceOfValues_GivesEveryValueBackAsAdded()
    {
        var random = new Random(20261203);
        for (var trial = 0; trial < 5000; trial++)
        {
            var builder = new ScalarColumnBuilder(random.Next(1, 4));
            var added = new List<object?>();
            for (var i = random.Next(1, 12); i > 0; i--)
            {
                var kind = random.Next(7);
                if (kind == 6)
                {
                    builder.Repeat();
                    added.Add(added.Count > 0 ? added[^1] : null);
                    continue;
                }
                object? value = kind switch
                {
                    0 => null,
                    1 or 2 => (long)random.Next(-3, 3),
                    3 or 4 => random.Next(-3, 3) + 0.5,
                    _ => "s",
                };
                switch (value)
                {
                    case null: builder.AddNull(); break;
                    case long l: builder.Add(l); break;
                    case double d: builder.Add(d); break;
                    case string s: builder.Add(s); break;
                }
                added.Add(value);
            }

            var column = builder.Build();

            Assert.Equal(added, Enumerable.Range(0, column.Length).Select(column.GetValue));
        }
    }
}
