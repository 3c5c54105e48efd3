// ColumnBatch: rows as typed columns, turned into records with their origins, gathered, sliced and joined.
using Etl.Columns;
using Etl.Records;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Columns;

public sealed class ColumnBatchTests
{
    private static readonly string[] Names = ["id", "name", "amount"];

    private static ColumnBatch Orders()
    {
        var ids = new TypedColumnBuilder<long>(ColumnKind.Int64, 3);
        ids.Add(1);
        ids.Add(2);
        ids.Add(3);
        var names = new StringColumnBuilder(3);
        names.Add("ada");
        names.Add(null);
        names.Add("cy");
        var amounts = new TypedColumnBuilder<decimal>(ColumnKind.Decimal, 3);
        amounts.Add(1.50m);
        amounts.AddNull();
        amounts.Add(3m);
        return new ColumnBatch(Names, [ids.Build(), names.Build(), amounts.Build()], 3, new BatchOrigins("orders.csv", [2, 3, 5]));
    }

    [Fact]
    public void ToRecords_ColumnForm_GivesTheValuesBoxedAsTheRecordPathHoldsThem()
    {
        var records = Orders().ToRecords();

        Assert.Equal([[1L, "ada", 1.50m], [2L, null, null], [3L, "cy", 3m]], records.Select(r => Enumerable.Range(0, r.Count).Select(r.ValueAt).ToArray()));
    }

    [Fact]
    public void ToRecords_ColumnForm_SharesOneNameArray()
    {
        var records = Orders().ToRecords();

        Assert.All(records, r => Assert.Same(Names, r.SharedNames));
    }

    [Fact]
    public void ToRecords_ColumnForm_KeepsEachRowsOrigin()
    {
        Assert.Equal(["orders.csv:2", "orders.csv:3", "orders.csv:5"], Orders().ToRecords().Select(r => r.Origin));
    }

    [Fact]
    public void OriginAt_ColumnForm_NamesFileAndLine()
    {
        Assert.Equal("orders.csv:5", Orders().OriginAt(2));
    }

    [Fact]
    public void Gather_PicksRowsInTheGivenOrderWithTheirNullsAndOrigins()
    {
        var picked = Orders().Gather([2, 1, 2]);

        Assert.Equal([[3L, "cy", 3m], [2L, null, null], [3L, "cy", 3m]], picked.ToRows());
        Assert.Equal(["orders.csv:5", "orders.csv:3", "orders.csv:5"], Enumerable.Range(0, 3).Select(picked.OriginAt));
    }

    [Fact]
    public void Slice_TakesARangeOfRows()
    {
        var slice = Orders().Slice(1, 2);

        Assert.Equal([[2L, null, null], [3L, "cy", 3m]], slice.ToRows());
        Assert.Equal("orders.csv:3", slice.OriginAt(0));
    }

    [Fact]
    public void FromRows_BuildsTypedColumnsOfTheSchemasKinds()
    {
        var schema = new TableSchema([new SchemaColumn("id", new ColumnType(ColumnKind.Int64)), new SchemaColumn("day", new ColumnType(ColumnKind.Date))]);

        var batch = ColumnBatch.FromRows(schema, [[1L, new DateOnly(2026, 12, 2)], [null, null]]);

        Assert.IsType<TypedColumn<long>>(batch.Columns[0]);
        Assert.IsType<TypedColumn<DateOnly>>(batch.Columns[1]);
        Assert.True(batch.Columns[0].IsNull(1));
    }

    [Fact]
    public void Constructor_ColumnOfAnotherLength_IsRefused()
    {
        var ids = new TypedColumnBuilder<long>(ColumnKind.Int64, 1);
        ids.Add(1);

        Assert.Throws<ArgumentException>(() => new ColumnBatch(["id"], [ids.Build()], 2));
    }

    [Fact]
    public void FromRecords_KeepsTheRecordsAsTheyAre()
    {
        var record = new Record(["id"], [1L]);

        var batch = ColumnBatch.FromRecords([record]);

        Assert.True(batch.IsRecords);
        Assert.Same(record, Assert.Single(batch.ToRecords()));
    }
}
