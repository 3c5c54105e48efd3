// The lock a run holds on a sink folder from Prepare to the end of its commit, so two runs never interleave.
using System.Diagnostics;
using System.Text.Json;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>Who holds a sink folder: enough for a person to find the run and for a later run to tell it is gone.</summary>
public sealed record LockHolder(string RunId, int Pid, string Host, DateTimeOffset StartedAt, DateTimeOffset? ProcessStartedAt)
{
    public override string ToString() =>
        $"run {RunId} (pid {Pid} on {Host}, started {StartedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'})";
}

/// <summary>Thrown when another live run holds the sink folder.</summary>
public sealed class SinkLockedException(string sinkFolder, LockHolder? holder)
    : IOException($"sink folder '{sinkFolder}' is locked by "
        + (holder?.ToString() ?? "another run (it has not written its details yet)")
        + "; wait for it to finish"
        + (holder is not null && !string.Equals(holder.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            ? $" (if that run is gone, delete {Path.Combine(sinkFolder, SinkLock.HolderFileName)})"
            : ""))
{
    public string SinkFolder { get; } = sinkFolder;

    public LockHolder? Holder { get; } = holder;
}

/// <summary>
/// An exclusive lock on <c>_lock</c> through the storage (on the local disk an OS lock the kernel drops when the process
/// dies, even on kill -9); the holder's details sit beside it in <c>_lock.json</c> because a locked file cannot be read
/// by others. Where the file system ignores the OS lock, a holder whose process still lives on this host (same pid and
/// process start time) keeps the folder; a dead one is taken over.
/// </summary>
public sealed class SinkLock : IDisposable
{
    public const string LockFileName = "_lock";
    public const string HolderFileName = "_lock.json";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private readonly IStorage _storage;
    private readonly IDisposable _handle;
    private readonly string _holderPath;
    private bool _released;

    private SinkLock(IStorage storage, IDisposable handle, string holderPath, LockHolder holder)
    {
        _storage = storage;
        _handle = handle;
        _holderPath = holderPath;
        Holder = holder;
    }

    public LockHolder Holder { get; }

    /// <summary>Takes the folder's lock or throws <see cref="SinkLockedException"/> naming the run that holds it.</summary>
    public static async Task<SinkLock> AcquireAsync(string sinkFolder, string runId, DateTimeOffset startedAt, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(sinkFolder);
        var holderPath = storage.Combine(sinkFolder, HolderFileName);
        IDisposable handle;
        try
        {
            handle = await storage.LockAsync(storage.Combine(sinkFolder, LockFileName), cancellationToken);
        }
        catch (StorageLockedException)
        {
            throw new SinkLockedException(sinkFolder, await ReadHolderAsync(holderPath));
        }
        try
        {
            var previous = await ReadHolderAsync(holderPath);
            // Only the local disk's lock can be ignored by a file system (NFS); elsewhere the storage's lock is the truth.
            if (previous is not null && previous.RunId != runId && storage is LocalStorage && IsAliveHere(previous))
            {
                throw new SinkLockedException(sinkFolder, previous);
            }
            var self = Self(runId, startedAt);
            await storage.WriteAllBytesAsync(holderPath, JsonSerializer.SerializeToUtf8Bytes(self, JsonOptions), cancellationToken);
            return new SinkLock(storage, handle, holderPath, self);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public static async Task<LockHolder?> ReadHolderAsync(string holderPath)
    {
        try
        {
            var bytes = await StorageRegistry.For(holderPath).ReadAllBytesAsync(holderPath, CancellationToken.None);
            return bytes is null ? null : JsonSerializer.Deserialize<LockHolder>(bytes, JsonOptions);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether the holder's process still runs on this machine (a pid reused by another process does not count).</summary>
    public static bool IsAliveHere(LockHolder holder)
    {
        if (!string.Equals(holder.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
        {
            // Another machine: its liveness cannot be checked from here, and its OS lock did not stop us (a file system
            // without shared locks); keep out rather than interleave.
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(holder.Pid);
            if (process.HasExited)
            {
                return false;
            }
            return holder.ProcessStartedAt is not { } started
                || Math.Abs((process.StartTime.ToUniversalTime() - started.UtcDateTime).TotalSeconds) < 2;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static LockHolder Self(string runId, DateTimeOffset startedAt)
    {
        using var process = Process.GetCurrentProcess();
        return new LockHolder(runId, Environment.ProcessId, Environment.MachineName, startedAt, new DateTimeOffset(process.StartTime.ToUniversalTime()));
    }

    public void Dispose()
    {
        if (_released)
        {
            return;
        }
        _released = true;
        try
        {
            if (ReadHolderAsync(_holderPath).GetAwaiter().GetResult()?.RunId == Holder.RunId)
            {
                _storage.DeleteAsync(_holderPath, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        catch (IOException)
        {
            // A stale holder file names a dead process: the next run takes it over.
        }
        _handle.Dispose();
    }
}
