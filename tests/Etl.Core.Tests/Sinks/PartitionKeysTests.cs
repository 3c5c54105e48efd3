// PartitionKeys: the partition of a row read from typed columns is the folder PartitionPath makes of its boxed values.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Lake;
using Etl.Records;
using Etl.Sinks;

namespace Etl.Core.Tests.Sinks;

public sealed class PartitionKeysTests
{
    private static readonly TableSchema Every = TestRun.Schema(
        ("s", "string"), ("b", "bool"), ("i", "int32"), ("l", "int64"), ("d", "double"), ("m", "decimal(18,2)"), ("day", "date"), ("ts", "timestamp"));

    private static readonly object?[][] Rows =
    [
        ["FR", true, 1, 1L, 0.0, 1.5m, new DateOnly(2026, 11, 28), new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc)],
        ["a/b=c", false, -1, -1L, -0.0, 1.50m, new DateOnly(1, 1, 1), DateTime.UnixEpoch],
        ["", true, 1, 1L, double.NaN, 1.5m, new DateOnly(2026, 11, 28), new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc)],
        [null, null, null, null, null, null, null, null],
        ["FR", true, 1, 1L, 0.0, 1.50m, new DateOnly(2026, 11, 28), new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc)],
    ];

    private static string Boxed(object?[] row, int[] columns) =>
        string.Join('/', columns.Select(c => PartitionPath.Segment(Every.Columns[c].Name, row[c])));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void PartitionKeys_OneColumnOfEachKind_IsTheBoxedValuesFolder(int column)
    {
        var keys = new PartitionKeys(Every, [column]);
        var batch = ColumnBatch.FromRows(Every, Rows);

        var got = Enumerable.Range(0, Rows.Length).Select(r => keys.KeyAt(batch, r));

        Assert.Equal(Rows.Select(r => Boxed(r, [column])), got);
    }

    [Fact]
    public void PartitionKeys_SeveralColumns_AreJoinedInTheirOrder()
    {
        var keys = new PartitionKeys(Every, [6, 0, 5]);
        var batch = ColumnBatch.FromRows(Every, Rows);

        var got = Enumerable.Range(0, Rows.Length).Select(r => keys.KeyAt(batch, r));

        Assert.Equal(Rows.Select(r => Boxed(r, [6, 0, 5])), got);
    }
}
