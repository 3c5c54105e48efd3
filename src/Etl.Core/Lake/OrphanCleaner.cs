// Removes what runs that can no longer commit left in a sink folder: data files no committed version holds, their
// staging folders and run folders. Never touches a file of a run that may still commit it.
using Etl.Storage;

namespace Etl.Lake;

internal static class OrphanCleaner
{
    public const string FilePrefix = "part-";

    /// <summary>
    /// Cleans after every run whose lease is gone. The order makes it safe against runs starting and committing meanwhile:
    /// the files are listed first (a run registers its lease before it writes a file), then the runs' liveness is
    /// probed (a run commits before it lets its lease go), then the log is read; a listed file is deleted only when that
    /// log does not hold it and no live run may claim it by name.
    /// </summary>
    public static async Task CleanDeadRunsAsync(IStorage storage, string sinkFolder, string selfRunId, CancellationToken cancellationToken)
    {
        var runFolders = await FoldersAsync(storage, storage.Combine(sinkFolder, RunLease.FolderName), cancellationToken);
        var stagings = await FoldersAsync(storage, storage.Combine(sinkFolder, LakeCommitter.TempFolderName), cancellationToken);
        // This run's own lease (taken just before) and staging folder are no sign of another run: when nothing else is
        // there, the lake is not listed (every data file of a large lake, at every run's start).
        if (runFolders.All(f => Name(f) == selfRunId) && stagings.All(f => Name(f) == selfRunId))
        {
            return;
        }
        var files = await LakeCommitter.VisibleDataFilesAsync(sinkFolder, cancellationToken);
        var alive = new List<string> { selfRunId };
        var dead = new List<(string Folder, IReadOnlyList<IDisposable> Taken)>();
        foreach (var folder in runFolders)
        {
            var runId = Name(folder);
            if (runId == selfRunId)
            {
                continue;
            }
            var (isAlive, taken) = await RunLease.ProbeAsync(storage, folder, cancellationToken);
            if (isAlive)
            {
                alive.Add(runId);
            }
            else
            {
                dead.Add((folder, taken));
            }
        }
        try
        {
            var deadStagings = stagings.Where(s => !alive.Contains(Name(s), StringComparer.Ordinal)).ToList();
            if (dead.Count == 0 && deadStagings.Count == 0)
            {
                return;
            }
            var snapshot = await CommitLog.SnapshotAsync(storage, sinkFolder, cancellationToken);
            var deadRuns = dead.Select(d => Name(d.Folder)).ToList();
            // Without a log or manifest nothing says which files are data: only files of the dead runs are removed.
            var known = snapshot.Version > 0 || snapshot.Manifest is not null;
            await DeleteUncommittedAsync(storage, sinkFolder, files, snapshot, alive, known ? null : deadRuns, cancellationToken);
            foreach (var staging in deadStagings)
            {
                await storage.DeleteFolderAsync(staging, cancellationToken);
            }
            foreach (var (folder, _) in dead)
            {
                await storage.DeleteFolderAsync(folder, cancellationToken);
            }
        }
        finally
        {
            foreach (var taken in dead.SelectMany(d => d.Taken))
            {
                taken.Dispose();
            }
        }
        await storage.DeleteFolderIfEmptyAsync(storage.Combine(sinkFolder, RunLease.FolderName), cancellationToken);
        await storage.DeleteFolderIfEmptyAsync(storage.Combine(sinkFolder, LakeCommitter.TempFolderName), cancellationToken);
    }

    /// <summary>Removes the files named <paramref name="prefix"/>… that the latest version does not hold, at their final
    /// keys and in the run's staging folder: what a failed or beaten run of this process wrote.</summary>
    public static async Task CleanOwnFilesAsync(IStorage storage, string sinkFolder, string stagingFolder, string prefix, CancellationToken cancellationToken)
    {
        var snapshot = await CommitLog.SnapshotAsync(storage, sinkFolder, cancellationToken);
        var committed = snapshot.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var files = await LakeCommitter.VisibleDataFilesAsync(sinkFolder, cancellationToken);
        await foreach (var staged in storage.ListAsync(stagingFolder, recursive: true, cancellationToken))
        {
            files = [.. files, staged];
        }
        foreach (var file in files.Where(f => Name(f.Path).StartsWith(prefix, StringComparison.Ordinal)))
        {
            if (!committed.Contains(storage.RelativePath(sinkFolder, file.Path)))
            {
                await DeleteAsync(storage, sinkFolder, file.Path, cancellationToken);
            }
        }
    }

    private static async Task DeleteUncommittedAsync(IStorage storage, string sinkFolder, IReadOnlyList<StorageEntry> files, LakeSnapshot snapshot,
        List<string> alive, List<string>? onlyOf, CancellationToken cancellationToken)
    {
        var committed = snapshot.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Name(file.Path);
            if (!name.StartsWith(FilePrefix, StringComparison.Ordinal) || committed.Contains(storage.RelativePath(sinkFolder, file.Path))
                || alive.Any(r => name.StartsWith($"{FilePrefix}{r}-", StringComparison.Ordinal))
                || (onlyOf is not null && !onlyOf.Any(r => name.StartsWith($"{FilePrefix}{r}-", StringComparison.Ordinal))))
            {
                continue;
            }
            await DeleteAsync(storage, sinkFolder, file.Path, cancellationToken);
        }
    }

    /// <summary>Deletes a file and the folders it leaves empty, up to (not including) the sink folder.</summary>
    public static async Task DeleteAsync(IStorage storage, string sinkFolder, string path, CancellationToken cancellationToken)
    {
        await storage.DeleteAsync(path, cancellationToken);
        for (var folder = storage.Parent(path); folder is not null && storage.RelativePath(sinkFolder, folder) is { Length: > 0 } r && r != "." && !r.StartsWith("..", StringComparison.Ordinal);
             folder = storage.Parent(folder))
        {
            try
            {
                await storage.DeleteFolderIfEmptyAsync(folder, cancellationToken);
            }
            catch (IOException)
            {
                return;
            }
        }
    }

    private static async Task<List<string>> FoldersAsync(IStorage storage, string folder, CancellationToken cancellationToken)
    {
        var folders = new List<string>();
        await foreach (var child in storage.ListFoldersAsync(folder, cancellationToken))
        {
            folders.Add(child.TrimEnd('/'));
        }
        return folders;
    }

    private static string Name(string path) => path.Replace('\\', '/').TrimEnd('/')[(path.Replace('\\', '/').TrimEnd('/').LastIndexOf('/') + 1)..];
}
