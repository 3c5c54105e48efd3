// SinkLock: one holder per sink folder, named in the refusal; a holder whose process is gone is taken over.
using System.Diagnostics;
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Lake;

namespace Etl.Core.Tests.Lake;

public sealed class SinkLockTests : IDisposable
{
    private readonly TestFolder _temp = new();
    private readonly string _folder;

    public SinkLockTests() => _folder = _temp.Root;

    public void Dispose() => _temp.Dispose();

    private void WriteHolder(int pid, DateTimeOffset? processStartedAt, string host) =>
        File.WriteAllText(Path.Combine(_folder, SinkLock.HolderFileName), JsonSerializer.Serialize(new
        {
            runId = "20260101T000000Z-0000beef",
            pid,
            host,
            startedAt = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            processStartedAt,
        }));

    [Fact]
    public async Task Acquire_WhileHeld_ThrowsNamingTheHolder()
    {
        var started = DateTimeOffset.Parse("2026-11-28T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        using var first = await SinkLock.AcquireAsync(_folder, "run-a", started);

        var e = await Assert.ThrowsAsync<SinkLockedException>(() => SinkLock.AcquireAsync(_folder, "run-b", started));

        Assert.Equal($"sink folder '{_folder}' is locked by run run-a (pid {Environment.ProcessId} on {Environment.MachineName}, started 2026-11-28T10:00:00Z); wait for it to finish", e.Message);
    }

    [Fact]
    public async Task Acquire_AfterRelease_Succeeds()
    {
        (await SinkLock.AcquireAsync(_folder, "run-a", DateTimeOffset.UtcNow)).Dispose();

        using var second = await SinkLock.AcquireAsync(_folder, "run-b", DateTimeOffset.UtcNow);

        Assert.Equal("run-b", second.Holder.RunId);
    }

    [Fact]
    public async Task Release_RemovesTheHolderDetailsButKeepsTheLockFile()
    {
        (await SinkLock.AcquireAsync(_folder, "run-a", DateTimeOffset.UtcNow)).Dispose();

        Assert.False(File.Exists(Path.Combine(_folder, SinkLock.HolderFileName)));
        Assert.True(File.Exists(Path.Combine(_folder, SinkLock.LockFileName)));
    }

    [Fact]
    public async Task Acquire_HolderProcessIsDead_TakesOver()
    {
        using (var gone = Process.Start("true")!)
        {
            gone.WaitForExit();
            WriteHolder(gone.Id, null, Environment.MachineName);
        }

        using var taken = await SinkLock.AcquireAsync(_folder, "run-b", DateTimeOffset.UtcNow);

        Assert.Equal("run-b", (await SinkLock.ReadHolderAsync(Path.Combine(_folder, SinkLock.HolderFileName)))!.RunId);
    }

    [Fact]
    public async Task Acquire_HolderPidReusedByAnotherProcess_TakesOver()
    {
        WriteHolder(Environment.ProcessId, DateTimeOffset.UtcNow.AddDays(-3), Environment.MachineName);

        using var taken = await SinkLock.AcquireAsync(_folder, "run-b", DateTimeOffset.UtcNow);

        Assert.Equal("run-b", taken.Holder.RunId);
    }

    [Fact]
    public async Task Acquire_HolderAliveWhereTheOsLockIsIgnored_Refuses()
    {
        // As on a file system without shared locks: the OS lock is free but the holder's process still runs.
        WriteHolder(Environment.ProcessId, SinkLock.Self("x", DateTimeOffset.UtcNow).ProcessStartedAt, Environment.MachineName);

        await Assert.ThrowsAsync<SinkLockedException>(() => SinkLock.AcquireAsync(_folder, "run-b", DateTimeOffset.UtcNow));
    }
}
