// Time left: the average pace so far applied to what remains, shown as m:ss or h:mm:ss.
using Etl.Cli.Output;

namespace Etl.Cli.Tests.Output;

public sealed class TimeLeftTests
{
    [Fact]
    public void TimeLeft_QuarterDoneInTenSeconds_IsThirtySeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), TimeLeft.Estimate(25, 100, TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(0, 100L)]
    [InlineData(100, 100L)]
    [InlineData(5, null)]
    public void TimeLeft_NothingDoneAllDoneOrNoTotal_IsUnknown(long done, long? total)
    {
        Assert.Null(TimeLeft.Estimate(done, total, TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(42, "0:42")]
    [InlineData(723, "12:03")]
    [InlineData(3723, "1:02:03")]
    [InlineData(0.2, "0:01")]
    public void TimeLeft_Format_ShowsHoursOnlyWhenThereAreAny(double seconds, string expected)
    {
        Assert.Equal(expected, TimeLeft.Format(TimeSpan.FromSeconds(seconds)));
    }
}
