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

    [Fact]
    public async Task AnyAsync_ProcessKeepingOneOfTwoCoresBusyAtMostHalfTheTime_LeavesACoreIdle()
    {
        Assert.True(await IdleCores.AnyAsync(TimeProvider.System, Busy(0.5), 2, CancellationToken.None));
    }

    [Fact]
    public async Task AnyAsync_ProcessKeepingBothCoresBusy_LeavesNoCoreIdle()
    {
        Assert.False(await IdleCores.AnyAsync(TimeProvider.System, Busy(2), 2, CancellationToken.None));
    }

    [Fact]
    public async Task AnyAsync_ProcessKeepingMoreThanAllCoresButOneBusy_LeavesNoCoreIdle()
    {
        Assert.False(await IdleCores.AnyAsync(TimeProvider.System, Busy(7.5), 8, CancellationToken.None));
    }

    [Fact]
    public async Task AnyAsync_OneCoreMachineMostlyIdle_LeavesHalfACore()
    {
        Assert.True(await IdleCores.AnyAsync(TimeProvider.System, Busy(0.2), 1, CancellationToken.None));
    }

    [Fact]
    public async Task AnyAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => IdleCores.AnyAsync(TimeProvider.System, () => TimeSpan.Zero, 2, cts.Token));
    }
}
