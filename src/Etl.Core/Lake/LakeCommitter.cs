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
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Lake;

public sealed class LakeCommitter(SinkSpec spec, string runId) : IDisposable
{
    public const string ManifestName = "_manifest.json";
    public const string SuccessName = "_SUCCESS";
    public const string TempFolderName = "_tmp";
    public const string StateName = "_state.json";

    private SinkLock? _lock;
    private CommitJournal? _journal;

    public string SinkFolder { get; } = Path.GetFullPath(spec.Path);

    public string StagingFolder => Path.Combine(SinkFolder, TempFolderName, runId);

    public LockHolder? Lock => _lock?.Holder;

    /// <summary>Before the run: locks the folder, finishes or removes what earlier runs left behind, checks the mode.</summary>
    public void Prepare(DateTimeOffset? startedAt = null)
    {
        _lock ??= SinkLock.Acquire(SinkFolder, runId, startedAt ?? DateTimeOffset.UtcNow);
        Recover(SinkFolder);
        if (spec.Mode == SinkMode.ErrorIfExists && (RunManifest.TryRead(SinkFolder)?.Files.Count > 0 || VisibleDataFiles(SinkFolder).Any()))
        {
            throw new IOException($"sink '{spec.Path}' already holds data and its mode is errorIfExists");
        }
        Directory.CreateDirectory(StagingFolder);
    }

    /// <summary>
    /// Rolls forward every interrupted commit of <paramref name="sinkFolder"/> whose journal is complete and deletes every
    /// other staging folder. Call only while holding the folder's lock.
    /// </summary>
    public static void Recover(string sinkFolder)
    {
        var temp = Path.Combine(sinkFolder, TempFolderName);
        if (!Directory.Exists(temp))
        {
            return;
        }
        // Oldest first: a later commit was planned on top of an earlier one.
        foreach (var staging in Directory.EnumerateDirectories(temp).Order(StringComparer.Ordinal))
        {
            CommitJournal.TryRead(staging)?.Apply(sinkFolder, staging);
            TryDelete(staging);
        }
        TryDeleteEmpty(temp);
    }

    /// <summary>
    /// For readers of another pipeline's sink: rolls an interrupted commit forward when the folder is not locked by a
    /// live run. Returns false when there was nothing to do or it could not be done (then the manifest still names a
    /// complete set of files).
    /// </summary>
    public static bool TryRecoverForReading(string sinkFolder)
    {
        var temp = Path.Combine(sinkFolder, TempFolderName);
        if (!Directory.Exists(temp) || !Directory.EnumerateDirectories(temp).Any(d => File.Exists(Path.Combine(d, CommitJournal.FileName))))
        {
            return false;
        }
        try
        {
            using var held = SinkLock.Acquire(sinkFolder, $"reader-{Environment.ProcessId}", DateTimeOffset.UtcNow);
            Recover(sinkFolder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Decides the commit: which staged files go where, which files they replace, the manifest and extra files.</summary>
    /// <param name="countRows">Counts the rows of a data file that no manifest describes yet (a folder written before manifests).</param>
    public CommitJournal Plan(IReadOnlyList<StagedFile> files, Func<IReadOnlyList<ManifestFile>, RunManifest> manifestFor,
        Func<string, long> countRows, IEnumerable<JournalWrite>? extraWrites = null)
    {
        var existing = ExistingFiles(countRows);
        var written = files.Select(f => new ManifestFile(Normalize(f.RelativePath), f.Partition, f.Rows, f.Bytes)).ToList();
        var newPaths = written.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        List<ManifestFile> kept;
        List<ManifestFile> replaced;
        if (spec.Mode == SinkMode.Overwrite && spec.PartitionBy is { Count: > 0 })
        {
            // Only the partitions this run wrote are replaced; the others keep their files.
            var partitions = written.Select(f => f.Partition ?? "").ToHashSet(StringComparer.Ordinal);
            replaced = [.. existing.Where(f => partitions.Contains(f.Partition ?? ""))];
            kept = [.. existing.Where(f => !partitions.Contains(f.Partition ?? ""))];
        }
        else if (spec.Mode == SinkMode.Overwrite)
        {
            replaced = existing;
            kept = [];
        }
        else
        {
            replaced = [];
            kept = existing;
        }
        var manifest = manifestFor([.. kept.Where(f => !newPaths.Contains(f.Path)).Concat(written)]);
        return new CommitJournal
        {
            RunId = runId,
            Moves = [.. files.Select(f => new JournalMove(Normalize(Path.GetRelativePath(StagingFolder, f.StagingPath)), Normalize(f.RelativePath)))],
            Deletes = [.. replaced.Select(f => f.Path).Where(p => !newPaths.Contains(p))],
            Writes = [new JournalWrite(ManifestName, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(manifest, RunManifest.JsonOptions))),
                .. extraWrites ?? []],
        };
    }

    /// <summary>Writes the journal: from here on the commit happens, even if the process dies before <see cref="Apply"/>.</summary>
    public void Decide(CommitJournal journal)
    {
        RequireLock();
        journal.WriteTo(StagingFolder);
        _journal = journal;
    }

    /// <summary>Carries out the decided commit, then releases the folder.</summary>
    public void Apply()
    {
        RequireLock();
        var journal = _journal ?? throw new InvalidOperationException("Apply before Decide");
        journal.Apply(SinkFolder, StagingFolder);
        TryDelete(StagingFolder);
        TryDeleteEmpty(Path.Combine(SinkFolder, TempFolderName));
        Dispose();
    }

    /// <summary>Plans, decides and applies in one go (one sink).</summary>
    public void Commit(IReadOnlyList<StagedFile> files, Func<IReadOnlyList<ManifestFile>, RunManifest> manifestFor,
        Func<string, long> countRows, IEnumerable<JournalWrite>? extraWrites = null)
    {
        Decide(Plan(files, manifestFor, countRows, extraWrites));
        Apply();
    }

    /// <summary>After a failure before the decision: removes the staging folder and releases the lock. A decided
    /// commit is left for the next run to roll forward.</summary>
    public void Abort()
    {
        if (_lock is not null && _journal is null)
        {
            TryDelete(StagingFolder);
            TryDeleteEmpty(Path.Combine(SinkFolder, TempFolderName));
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
            throw new InvalidOperationException($"sink '{spec.Path}' is not locked: call Prepare first");
        }
    }

    /// <summary>The files that make up the sink now: the manifest's (those still present), else every visible data file.</summary>
    private List<ManifestFile> ExistingFiles(Func<string, long> countRows)
    {
        if (RunManifest.TryRead(SinkFolder) is { } previous)
        {
            return [.. previous.Files.Where(f => File.Exists(Path.Combine(SinkFolder, f.Path)))];
        }
        return [.. VisibleDataFiles(SinkFolder).Select(path =>
        {
            var relative = Normalize(Path.GetRelativePath(SinkFolder, path));
            var folder = Path.GetDirectoryName(relative)?.Replace('\\', '/');
            return new ManifestFile(relative, string.IsNullOrEmpty(folder) ? null : folder, countRows(path), new FileInfo(path).Length);
        })];
    }

    /// <summary>Data files readers see: none of their path segments starts with '_' or '.'.</summary>
    public static IEnumerable<string> VisibleDataFiles(string sinkFolder)
    {
        if (!Directory.Exists(sinkFolder))
        {
            return [];
        }
        return Directory.EnumerateFiles(sinkFolder, "*", SearchOption.AllDirectories)
            .Where(f => !Normalize(Path.GetRelativePath(sinkFolder, f)).Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.')))
            .Order(StringComparer.Ordinal);
    }

    public IEnumerable<string> VisibleDataFiles() => VisibleDataFiles(SinkFolder);

    private static string Normalize(string relative) => relative.Replace('\\', '/');

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next run, which deletes stale staging folders under the lock.
        }
    }

    private static void TryDeleteEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
        }
    }
}
