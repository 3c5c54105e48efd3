// Tests of the gen0 pacer on a fake allocation counter: it collects once per budget allocated, not after the collector ran itself, not past its limit.
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class Gen0PacerTests
{
    private long _allocated = 1000;
    private int _collections;
    private int _collected;

    private Gen0Pacer Pacer(long budget, long limit = 1000) => new(budget, limit, () => _allocated, () => _collections, () =>
    {
        _collected++;
        _collections++;
    });

    [Fact]
    public void Gen0Pacer_BelowBudget_DoesNotCollect()
    {
        var pacer = Pacer(100);
        _allocated += 99;

        pacer.Tick();

        Assert.Equal(0, _collected);
    }

    [Fact]
    public void Gen0Pacer_PastBudget_CollectsOnceUntilTheNextBudget()
    {
        var pacer = Pacer(100);
        _allocated += 100;

        pacer.Tick();
        _allocated += 99;
        pacer.Tick();

        Assert.Equal(1, _collected);
    }

    [Fact]
    public void Gen0Pacer_AfterTheCollectorRanItself_DoesNotCollect()
    {
        var pacer = Pacer(100);
        _allocated += 150;
        _collections++;

        pacer.Tick();

        Assert.Equal(0, _collected);
    }

    [Fact]
    public void Gen0Pacer_PastItsLimit_LeavesCollectionsToTheCollector()
    {
        var pacer = Pacer(100, limit: 300);
        _allocated += 300;

        pacer.Tick();

        Assert.Equal(0, _collected);
    }
}
