// Tests of the per-host gate on a fake clock: closed hosts hold every waiter until the wait has passed.
using Etl.Sources.Http;
using Microsoft.Extensions.Time.Testing;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HostGateTests
{
    [Fact]
    public async Task HostGate_Open_LetsThroughAtOnce()
    {
        var gate = new HostGate(new FakeTimeProvider());

        await gate.WaitAsync("api:443", CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, gate.Remaining("api:443"));
    }

    [Fact]
    public async Task HostGate_Closed_HoldsEveryWaiterUntilTheWaitPasses()
    {
        var time = new FakeTimeProvider();
        var gate = new HostGate(time);
        gate.Close("api:443", TimeSpan.FromSeconds(10));

        var waiters = Enumerable.Range(0, 3).Select(_ => gate.WaitAsync("api:443", CancellationToken.None).AsTask()).ToList();
        time.Advance(TimeSpan.FromSeconds(9));
        var heldAfterNine = waiters.Count(w => !w.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Task.WhenAll(waiters).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, heldAfterNine);
    }

    [Fact]
    public async Task HostGate_ClosedAgainWhileWaiting_WaitsForTheLaterReopening()
    {
        var time = new FakeTimeProvider();
        var gate = new HostGate(time);
        gate.Close("h", TimeSpan.FromSeconds(5));
        var waiter = gate.WaitAsync("h", CancellationToken.None).AsTask();

        time.Advance(TimeSpan.FromSeconds(3));
        gate.Close("h", TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(2));
        var heldAtFive = !waiter.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(3));

        await waiter.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(heldAtFive);
    }

    [Fact]
    public void HostGate_ShorterCloseWhileClosed_KeepsTheLaterReopening()
    {
        var time = new FakeTimeProvider();
        var gate = new HostGate(time);

        var first = gate.Close("h", TimeSpan.FromSeconds(10));
        var second = gate.Close("h", TimeSpan.FromSeconds(2));

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(TimeSpan.FromSeconds(10), gate.Remaining("h"));
    }

    [Fact]
    public async Task HostGate_OtherHost_IsNotHeld()
    {
        var gate = new HostGate(new FakeTimeProvider());
        gate.Close("a:80", TimeSpan.FromMinutes(1));

        await gate.WaitAsync("b:80", CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, gate.Remaining("b:80"));
    }

    [Fact]
    public void HostGate_RefusalOfARequestSentBeforeTheClosing_CountsItsWaitFromTheClosing()
    {
        var time = new FakeTimeProvider();
        var gate = new HostGate(time);
        var sent = time.GetUtcNow();
        time.Advance(TimeSpan.FromMilliseconds(100));
        gate.Close("api:443", TimeSpan.FromSeconds(1), sent);
        time.Advance(TimeSpan.FromMilliseconds(500));

        var moved = gate.Close("api:443", TimeSpan.FromSeconds(1), sent);

        Assert.False(moved);
        Assert.Equal(TimeSpan.FromMilliseconds(500), gate.Remaining("api:443"));
    }

    [Fact]
    public void HostGate_RefusalOfARequestSentAfterTheClosing_WaitsFromNow()
    {
        var time = new FakeTimeProvider();
        var gate = new HostGate(time);
        gate.Close("api:443", TimeSpan.FromSeconds(1), time.GetUtcNow());
        time.Advance(TimeSpan.FromMilliseconds(500));

        var moved = gate.Close("api:443", TimeSpan.FromSeconds(1), time.GetUtcNow());

        Assert.True(moved);
        Assert.Equal(TimeSpan.FromSeconds(1), gate.Remaining("api:443"));
    }
}
