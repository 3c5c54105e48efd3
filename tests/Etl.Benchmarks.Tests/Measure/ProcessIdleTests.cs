// The wait for a server to go idle reads its CPU time from /proc and returns once that stops advancing.
using System.Diagnostics;
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Tests.Measure;

public sealed class ProcessIdleTests
{
    [Fact]
    public void ParseCpuTicks_CommandNameWithSpacesAndParentheses_AddsUserAndSystemTime()
    {
        var stat = "4242 (a (b) c) S 1 4242 4242 0 -1 4194560 120 0 0 0 37 5 0 0 20 0 1 0 100 1000 50 18446744073709551615";

        Assert.Equal(42, ProcessIdle.ParseCpuTicks(stat));
    }

    [Fact]
    public void ParseCpuTicks_TruncatedLine_IsNull()
    {
        Assert.Null(ProcessIdle.ParseCpuTicks("4242 (sh) S 1 4242"));
    }

    [Fact]
    public async Task WaitAsync_SleepingProcess_GoesQuiet()
    {
        using var sleeper = Process.Start("/bin/sleep", "10");
        try
        {
            Assert.True(await ProcessIdle.WaitAsync(sleeper.Id, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public async Task WaitAsync_BusyProcess_GivesUpAtTheTimeout()
    {
        using var busy = Process.Start("/bin/sh", ["-c", "while :; do :; done"]);
        try
        {
            var clock = Stopwatch.StartNew();
            Assert.False(await ProcessIdle.WaitAsync(busy.Id, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(1)));
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"returned after {clock.Elapsed}");
        }
        finally
        {
            busy.Kill();
        }
    }

    [Fact]
    public async Task WaitAsync_NoSuchProcess_ReturnsAtOnce()
    {
        Assert.False(await ProcessIdle.WaitAsync(int.MaxValue, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5)));
    }
}
