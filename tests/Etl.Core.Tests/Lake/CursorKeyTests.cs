// CursorKey: cursor values compare by type: timestamps by instant, numbers by value, other text ordinally.
using Etl.Lake;

namespace Etl.Core.Tests.Lake;

public sealed class CursorKeyTests
{
    private static int Compare(object a, object b) => Math.Sign(CursorKey.From(a)!.Value.CompareTo(CursorKey.From(b)!.Value));

    [Fact]
    public void Compare_IsoStringsWithOffsets_CompareAsInstants()
    {
        Assert.Equal(-1, Compare("2026-01-02T00:00:00+02:00", "2026-01-01T23:00:00Z"));
    }

    [Fact]
    public void Compare_DateTimeAndIsoString_CompareAsInstants()
    {
        Assert.Equal(0, Compare(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "2026-01-01T00:00:00Z"));
    }

    [Fact]
    public void Compare_NumericStrings_CompareAsNumbers()
    {
        Assert.Equal(1, Compare("10", "9"));
    }

    [Fact]
    public void Compare_LongAndDecimalText_CompareAsNumbers()
    {
        Assert.Equal(1, Compare(10L, "9.5"));
    }

    [Fact]
    public void Compare_PlainText_ComparesOrdinally()
    {
        Assert.Equal(-1, Compare("abc", "abd"));
    }

    [Fact]
    public void From_Null_IsNoKey()
    {
        Assert.Null(CursorKey.From(null));
    }

    [Fact]
    public void Text_Timestamp_IsIsoUtc()
    {
        Assert.Equal("2026-01-01T01:39:00Z", CursorKey.From(new DateTime(2026, 1, 1, 1, 39, 0, DateTimeKind.Utc))!.Value.Text);
    }

    [Fact]
    public void CursorTracker_SeveralValues_KeepsTheHighest()
    {
        var tracker = new CursorTracker();
        foreach (var v in new object?[] { 3L, null, 12L, 7L })
        {
            tracker.Observe(v);
        }
        Assert.Equal("12", tracker.Max!.Value.Text);
    }
}
