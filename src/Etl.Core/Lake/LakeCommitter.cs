// Publishes a run's staged files into a sink folder under a lock, through a journal that survives kill -9 at any moment.
//
// Commit protocol, one sink folder:
//  1. Prepare: take the folder lock (_lock, an OS lock the kernel drops when the process dies; details in _lock.json).
//     Under the lock, finish what earlier runs left: a staging folder _tmp/<runId>/ holding a complete _commit.json is
//     rolled forward (step 4 again), any other staging folder is deleted. errorIfExists fails here, before any work.
//  2. Writers write part files under _tmp/<runId>/; each file is closed, re-opened and its rows counted.
//  3. Decide: the journal _tmp/<runId>/_commit.json lists the moves, the replaced files to delete and the files to write
//     (the manifest, the incremental state). It is written to a temporary name, flushed and renamed: from that rename
//     on, the commit happens even if the process dies; before it, the run never happened.
//  4. Apply (idempotent): delete _SUCCESS; rename each staged file into place; write _manifest.json (atomically, by
//     rename) and _state.json; delete the replaced files; write _SUCCESS; delete the journal, then the staging folder.
// Readers that follow _manifest.json see the old files until the manifest is swapped and the new ones after, as the
// replaced files are deleted only once the new manifest is in place. A reader listing files itself can, while a commit
// is being applied (or after a crash in step 4, until the next run or reader rolls it forward), see old and new files
// side by side, but never a partial file: files appear by rename only.
using System.Text;
using System.Text.Json;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Lake;

public sealed class LakeCommitter(SinkSpec spec, string runId, Checkpoint? checkpoint = null) : IDisposable
{
    public const string ManifestName = "_manifest.json";
    public const string SuccessName = "_SUCCESS";
    public const string TempFolderName = "_tmp";
    public const string StateName = "_state.json";

    private readonly IStorage _storage = StorageRegistry.For(spec.Path);
    private readonly Checkpoint _checkpoint = checkpoint ?? Checkpoints.None;
    private SinkLock? _lock;
    private CommitJournal? _journal;

    public string SinkFolder { get; } = StorageRegistry.For(spec.Path).FullPath(spec.Path);

    public string StagingFolder => _storage.Combine(_storage.Combine(SinkFolder, TempFolderName), runId);

    /// <summary>Before the run: locks the folder, finishes or removes what earlier runs left behind, checks the mode.</summary>
    public async Task PrepareAsync(DateTimeOffset? startedAt = null, CancellationToken cancellationToken = default)
    {
        _lock ??= await SinkLock.AcquireAsync(SinkFolder, runId, startedAt ?? DateTimeOffset.UtcNow, cancellationToken);
        await RecoverAsync(SinkFolder, cancellationToken);
        if (spec.Mode == SinkMode.ErrorIfExists
            && ((await RunManifest.TryReadAsync(SinkFolder, cancellationToken))?.Files.Count > 0 || (await VisibleDataFilesAsync(SinkFolder, cancellationToken)).Count > 0))
        {
            throw new IOException($"sink '{spec.Path}' already holds data and its mode is errorIfExists");
        }
    }

    /// <summary>
    /// Rolls forward every interrupted commit of <paramref name="sinkFolder"/> whose journal is complete and deletes every
    /// other staging folder. Call only while holding the folder's lock.
    /// </summary>
    public static async Task RecoverAsync(string sinkFolder, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(sinkFolder);
        var temp = storage.Combine(sinkFolder, TempFolderName);
        var stagings = new List<string>();
        await foreach (var folder in storage.ListFoldersAsync(temp, cancellationToken))
        {
            stagings.Add(folder);
        }
        // Oldest first: a later commit was planned on top of an earlier one.
        foreach (var staging in stagings.Order(StringComparer.Ordinal))
        {
            if (await CommitJournal.TryReadAsync(staging, cancellationToken) is { } journal)
            {
                await journal.ApplyAsync(sinkFolder, staging, Checkpoints.None, cancellationToken);
            }
            await TryDeleteAsync(storage, staging);
        }
        await TryDeleteEmptyAsync(storage, temp);
    }

    /// <summary>
    /// For readers of another pipeline's sink: rolls an interrupted commit forward when the folder is not locked by a
    /// live run. Returns false when there was nothing to do or it could not be done (then the manifest still names a
    /// complete set of files).
    /// </summary>
    public static async Task<bool> TryRecoverForReadingAsync(string sinkFolder, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(sinkFolder);
        var decided = false;
        await foreach (var staging in storage.ListFoldersAsync(storage.Combine(sinkFolder, TempFolderName), cancellationToken))
        {
            decided |= await storage.StatAsync(storage.Combine(staging, CommitJournal.FileName), cancellationToken) is not null;
        }
        if (!decided)
        {
            return false;
        }
        try
        {
            using var held = await SinkLock.AcquireAsync(sinkFolder, $"reader-{Environment.ProcessId}", DateTimeOffset.UtcNow, cancellationToken);
            await RecoverAsync(sinkFolder, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Decides the commit: which staged files go where, which files they replace, the manifest and extra files.</summary>
    /// <param name="countRows">Counts the rows of a data file that no manifest describes yet (a folder written before manifests).</param>
    public async Task<CommitJournal> PlanAsync(IReadOnlyList<StagedFile> files, Func<IReadOnlyList<ManifestFile>, RunManifest> manifestFor,
        Func<string, Task<long>> countRows, IEnumerable<JournalWrite>? extraWrites = null, CancellationToken cancellationToken = default)
    {
        var existing = await ExistingFilesAsync(countRows, cancellationToken);
        var written = files.Select(f => new ManifestFile(f.RelativePath, f.Partition, f.Rows, f.Bytes, f.Schema)).ToList();
        var newPaths = written.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var (kept, replaced) = Split(existing, written);
        var manifest = manifestFor([.. kept.Where(f => !newPaths.Contains(f.Path)).Concat(written)]);
        return new CommitJournal
        {
            RunId = runId,
            Moves = [.. files.Select(f => new JournalMove(_storage.RelativePath(StagingFolder, f.StagingPath), f.RelativePath))],
            Deletes = [.. replaced.Select(f => f.Path).Where(p => !newPaths.Contains(p))],
            Writes = [new JournalWrite(ManifestName, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(manifest, RunManifest.JsonOptions))),
                .. extraWrites ?? []],
        };
    }

    /// <summary>The existing files this run keeps and those it replaces, by the sink's mode.</summary>
    private (List<ManifestFile> Kept, List<ManifestFile> Replaced) Split(List<ManifestFile> existing, List<ManifestFile> written)
    {
        if (spec.Mode == SinkMode.Overwrite && spec.PartitionBy is { Count: > 0 })
        {
            // Only the partitions this run wrote are replaced; the others keep their files.
            var partitions = written.Select(f => f.Partition ?? "").ToHashSet(StringComparer.Ordinal);
            return ([.. existing.Where(f => !partitions.Contains(f.Partition ?? ""))], [.. existing.Where(f => partitions.Contains(f.Partition ?? ""))]);
        }
        return spec.Mode == SinkMode.Overwrite ? ([], existing) : (existing, []);
    }

    /// <summary>Writes the journal: from here on the commit happens, even if the process dies before <see cref="ApplyAsync"/>.</summary>
    public async Task DecideAsync(CommitJournal journal, CancellationToken cancellationToken = default)
    {
        RequireLock();
        await journal.WriteToAsync(StagingFolder, cancellationToken);
        _journal = journal;
    }

    /// <summary>Carries out the decided commit, then releases the folder.</summary>
    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        RequireLock();
        var journal = _journal ?? throw new InvalidOperationException("Apply before Decide");
        await journal.ApplyAsync(SinkFolder, StagingFolder, _checkpoint, cancellationToken);
        await TryDeleteAsync(_storage, StagingFolder);
        await TryDeleteEmptyAsync(_storage, _storage.Combine(SinkFolder, TempFolderName));
        Dispose();
    }

    /// <summary>Plans, decides and applies in one go (one sink).</summary>
    public async Task CommitAsync(IReadOnlyList<StagedFile> files, Func<IReadOnlyList<ManifestFile>, RunManifest> manifestFor,
        Func<string, Task<long>> countRows, IEnumerable<JournalWrite>? extraWrites = null, CancellationToken cancellationToken = default)
    {
        await DecideAsync(await PlanAsync(files, manifestFor, countRows, extraWrites, cancellationToken), cancellationToken);
        await ApplyAsync(cancellationToken);
    }

    /// <summary>After a failure before the decision: removes the staging folder and releases the lock. A decided
    /// commit is left for the next run to roll forward.</summary>
    public async Task AbortAsync()
    {
        if (_lock is not null && _journal is null)
        {
            await TryDeleteAsync(_storage, StagingFolder);
            await TryDeleteEmptyAsync(_storage, _storage.Combine(SinkFolder, TempFolderName));
        }
        Dispose();
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    private void RequireLock()
    {
        if (_lock is null)
        {
            throw new InvalidOperationException($"sink '{spec.Path}' is not locked: call PrepareAsync first");
        }
    }

    /// <summary>The files that make up the sink now: the manifest's (those still present), else every visible data file.</summary>
    private async Task<List<ManifestFile>> ExistingFilesAsync(Func<string, Task<long>> countRows, CancellationToken cancellationToken)
    {
        var result = new List<ManifestFile>();
        if (await RunManifest.TryReadAsync(SinkFolder, cancellationToken) is { } previous)
        {
            foreach (var file in previous.Files)
            {
                if (await _storage.StatAsync(_storage.Combine(SinkFolder, file.Path), cancellationToken) is not null)
                {
                    result.Add(file);
                }
            }
            return result;
        }
        foreach (var entry in await VisibleDataFilesAsync(SinkFolder, cancellationToken))
        {
            var relative = _storage.RelativePath(SinkFolder, entry.Path);
            var slash = relative.LastIndexOf('/');
            result.Add(new ManifestFile(relative, slash < 0 ? null : relative[..slash], await countRows(entry.Path), entry.Length));
        }
        return result;
    }

    /// <summary>Data files readers see, sorted: none of their path segments starts with '_' or '.'.</summary>
    public static async Task<IReadOnlyList<StorageEntry>> VisibleDataFilesAsync(string sinkFolder, CancellationToken cancellationToken = default)
    {
        var storage = StorageRegistry.For(sinkFolder);
        var files = new List<StorageEntry>();
        await foreach (var entry in storage.ListAsync(sinkFolder, recursive: true, cancellationToken))
        {
            if (!IsHidden(storage.RelativePath(sinkFolder, entry.Path)))
            {
                files.Add(entry);
            }
        }
        return [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    /// <summary>Whether a path relative to a lake folder is lake bookkeeping: a segment starts with '_' or '.'.</summary>
    public static bool IsHidden(string relative) => relative.Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.'));

    private static async Task TryDeleteAsync(IStorage storage, string folder)
    {
        try
        {
            await storage.DeleteFolderAsync(folder, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run, which deletes stale staging folders under the lock.
        }
    }

    private static async Task TryDeleteEmptyAsync(IStorage storage, string folder)
    {
        try
        {
            await storage.DeleteFolderIfEmptyAsync(folder, CancellationToken.None);
        }
        catch (IOException)
        {
        }
    }
}
