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
}
