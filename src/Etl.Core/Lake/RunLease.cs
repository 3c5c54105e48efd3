// A run's claim on the files it has not committed yet: a lease under <sink>/_runs/<runId>/ held while the run may commit.
using Etl.Storage;

namespace Etl.Lake;

/// <summary>
/// Held from Prepare to the end of the commit (on the local disk an OS lock the kernel drops when the process dies, even
/// on kill -9; on S3 a lease object renewed every 30 s that others may take over once it has not been renewed for
/// 2 minutes). A later run cleans a run's uncommitted files only when no lease of that run is held and its folder holds
/// no other object (a sharded run keeps its shard manifests there until it commits).
/// </summary>
public sealed class RunLease : IDisposable
{
    public const string FolderName = "_runs";
    public const string Extension = ".lease";

    private readonly IDisposable _handle;

    private RunLease(IDisposable handle, string path) => (_handle, Path) = (handle, path);

    public string Path { get; }

    public static string FolderOf(IStorage storage, string sinkFolder, string runId) =>
        storage.Combine(storage.Combine(sinkFolder, FolderName), runId);

    public static async Task<RunLease> AcquireAsync(IStorage storage, string sinkFolder, string runId, string name, CancellationToken cancellationToken)
    {
        var path = storage.Combine(FolderOf(storage, sinkFolder, runId), name + Extension);
        try
        {
            return new RunLease(await storage.LockAsync(path, cancellationToken), path);
        }
        catch (StorageLockedException e)
        {
            throw new IOException($"another process of run {runId} holds '{path}': one run id, one process per lease name", e);
        }
    }

    /// <summary>
    /// Whether the run whose folder is <paramref name="runFolder"/> may still commit. When it may not, the leases it left
    /// are returned taken, so no process of that run can start holding them while its files are cleaned.
    /// </summary>
    public static async Task<(bool Alive, IReadOnlyList<IDisposable> Taken)> ProbeAsync(IStorage storage, string runFolder, CancellationToken cancellationToken)
    {
        var taken = new List<IDisposable>();
        var alive = false;
        await foreach (var entry in storage.ListAsync(runFolder, recursive: true, cancellationToken))
        {
            if (!entry.Path.EndsWith(Extension, StringComparison.Ordinal))
            {
                alive = true; // a marker such as a shard manifest keeps the run until it commits
                break;
            }
            try
            {
                taken.Add(await storage.LockAsync(entry.Path, cancellationToken));
            }
            catch (StorageLockedException)
            {
                alive = true;
                break;
            }
        }
        if (alive)
        {
            taken.ForEach(t => t.Dispose());
            return (true, []);
        }
        return (false, taken);
    }

    public void Dispose() => _handle.Dispose();
}
