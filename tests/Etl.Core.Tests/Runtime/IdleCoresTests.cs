// IdleCores: whether the process left a core idle over a short window, from its CPU time.
using System.Diagnostics;
using Etl.Runtime;

namespace Etl.Core.Tests.Runtime;

public sealed class IdleCoresTests
{
    private static Func<TimeSpan> Busy(double cores)
    {
        var clock = Stopwatch.StartNew();
        return () => clock.Elapsed * cores;
    }

    [Fact]
    public async Task AnyAsync_ProcessUsingNoCpu_LeavesACoreIdle()
    {
        Assert.True(await IdleCores.AnyAsync(TimeProvider.System, () => TimeSpan.Zero, 2, CancellationToken.None));
    }

    [Theory]
    [InlineData(0.5, 2, true)] // one of two cores busy half the time
    [InlineData(2.0, 2, false)] // both cores busy
    [InlineData(7.5, 8, false)] // more than all cores but one busy
    [InlineData(0.2, 1, true)] // a one-core machine mostly idle: half a core is enough
    public async Task AnyAsync_CoresKeptBusy_LeaveACoreIdleOnlyWhenOneIsFree(double busyCores, int processors, bool idle)
    {
        Assert.Equal(idle, await IdleCores.AnyAsync(TimeProvider.System, Busy(busyCores), processors, CancellationToken.None));
    }

    [Fact]
    public async Task AnyAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IdleCores.AnyAsync(TimeProvider.System, () => TimeSpan.Zero, 2, cts.Token));
    }
}
