// RowCodec: every column kind, nulls and large values come back as they went in, of the same CLR types.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Sinks;

namespace Etl.Core.Tests.Sinks;

public sealed class RowCodecTests
{
    private static readonly TableSchema Every = TestRun.Schema(
        ("s", "string"), ("b", "bool"), ("i", "int32"), ("l", "int64"), ("d", "double"), ("m", "decimal(18,4)"), ("day", "date"), ("ts", "timestamp"));

    private static object?[] RoundTrip(TableSchema schema, int[] columns, object?[] row)
    {
        var codec = new RowCodec(schema, columns);
        var bytes = new byte[codec.SizeOf(row)];
        Assert.Equal(bytes.Length, codec.Write(row, bytes));
        var at = 0;
        var back = codec.Read(bytes, ref at);
        Assert.Equal(bytes.Length, at);
        return back;
    }

    [Fact]
    public void RowCodec_EveryKind_ReadsBackTheSameValuesAndTypes()
    {
        object?[] row = ["été ✓ 東京", true, -7, long.MinValue, double.NaN, -12.3400m, new DateOnly(1, 1, 1),
            new DateTime(2026, 11, 28, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9)];

        var back = RoundTrip(Every, [0, 1, 2, 3, 4, 5, 6, 7], row);

        Assert.Equal(row, back);
        Assert.Equal("-12.3400", ((decimal)back[5]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Utc, ((DateTime)back[7]!).Kind);
    }

    [Fact]
    public void RowCodec_Nulls_ReadBackAsNulls()
    {
        var back = RoundTrip(Every, [0, 1, 2, 3, 4, 5, 6, 7], new object?[8]);

        Assert.All(back, Assert.Null);
    }

    [Fact]
    public void RowCodec_SomeColumns_ReadsBackJustThoseInTheirOrder()
    {
        var back = RoundTrip(Every, [3, 0], ["x", true, 1, 42L, 1.5, 1m, null, null]);

        Assert.Equal(new object?[] { 42L, "x" }, back);
    }

    [Fact]
    public void RowCodec_EmptyAndLongStrings_ReadBackWhole()
    {
        var schema = TestRun.Schema(("a", "string"), ("b", "string"));
        var longText = new string('ü', 300_000);

        Assert.Equal(new object?[] { "", longText }, RoundTrip(schema, [0, 1], ["", longText]));
    }

    [Fact]
    public void RowCodec_RowOfAColumnBatch_IsEncodedAsTheBoxedRow()
    {
        object?[][] rows =
        [
            ["été ✓ 東京", true, -7, long.MinValue, double.NaN, -12.3400m, new DateOnly(1, 1, 1), DateTime.UnixEpoch],
            [null, null, null, null, null, null, null, null],
            ["", false, 0, 0L, -0.0, 0m, DateOnly.MaxValue, DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)],
        ];
        var codec = new RowCodec(Every, [7, 0, 5, 1, 2, 3, 4, 6]);
        var batch = ColumnBatch.FromRows(Every, rows);

        var fromBatch = Enumerable.Range(0, rows.Length).Select(r => Encode(codec.SizeOf(batch, r), span => codec.Write(batch, r, span)));

        Assert.Equal(rows.Select(row => Encode(codec.SizeOf(row), span => codec.Write(row, span))), fromBatch);
    }

    private delegate int Writer(Span<byte> target);

    private static byte[] Encode(int size, Writer write)
    {
        var bytes = new byte[size];
        Assert.Equal(size, write(bytes));
        return bytes;
    }
}
