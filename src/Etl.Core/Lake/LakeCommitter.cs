// Publishes a run's files into a sink folder with one atomic step: creating the next version of the folder's commit log.
//
// API (stable; one commit may carry files that several processes wrote):
//   var committer = new LakeCommitter(sinkSpec, runId, checkpoint) { LeaseName = "shard-3" };
//   await committer.PrepareAsync();            // lease _runs/<runId>/<LeaseName>.lease, clean dead runs, BaseVersion
//   writers write to LakeCommitter.StagedPath(storage, committer.StagingFolder, relativePath)
//   var outcome = await committer.CommitAsync(new LakeCommit { RunId, Mode, Files, ReplacedPartitions, Manifest, State, BaseVersion });
//   await committer.AbortAsync();              // always, at the end: after a failure it removes this process's files
// CommitAsync throws CommitConflictException (exit 4) when a concurrent commit won; a repeated commit of a run id is a no-op.
// A run spread over processes keeps its files from other runs' cleaning between its writers and its commit by holding a
// lease each (LeaseName) or by leaving any object not ending in .lease under RunLease.FolderOf(storage, sink, runId)
// (its shard manifests); a successful commit deletes that folder. The committing process of such a run sets
// FilePrefix = null, so a failed commit leaves the writers' files for a retry.
//
// Protocol, one sink folder, the same on the local disk and on S3:
//  1. Prepare: take the run's lease (RunLease); clean what runs that can no longer commit left (OrphanCleaner); bring
//     _manifest.json up to the log's latest version; remember that version as the run's base.
//  2. Write: on the local disk into _tmp/<runId>/, flat (names ending .inprogress); on S3 straight to the final keys (an
//     object appears whole when its upload completes; there is no rename, and no copy is ever made). Names are unique:
//     part-<runId>-<writer>-<seq>.
//  3. Commit: delete _SUCCESS; on the local disk rename each file into place; then create _log/<head+1>.json only if
//     absent (S3 If-None-Match: *, on disk a no-replace link). That creation is the commit: before it the run never
//     happened, after it the run is committed. A run that loses the version reads what won: an append (or an overwrite
//     of other partitions) tries the next version; an overwrite of the same data, or an incremental run whose cursor
//     another run advanced, fails with CommitConflictException naming the winner and removes its files.
//  4. Derive: rewrite _manifest.json (and _state.json) from the log, delete the files the version replaced, write
//     _SUCCESS, drop the lease. A kill after step 3 leaves a committed version; the next run finishes step 4.
// Readers that follow the log, or _manifest.json, see one version whole. Readers listing files see uncommitted files
// at their final keys on S3 (and, on disk, during step 3 or after a kill in it) until a later run cleans them.
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
    public const string StagingSuffix = ".inprogress";

    /// <summary>Versions tried before giving up: each lost attempt means another run committed meanwhile.</summary>
    public const int MaxAttempts = 100;

    private readonly IStorage _storage = StorageRegistry.For(spec.Path);
    private readonly Checkpoint _checkpoint = checkpoint ?? Checkpoints.None;
    private RunLease? _lease;
    private bool _committed;

    public string SinkFolder { get; } = StorageRegistry.For(spec.Path).FullPath(spec.Path);

    /// <summary>Names this process's lease in <c>_runs/&lt;runId&gt;/</c>; shards of one run use one name each.</summary>
    public string LeaseName { get; init; } = "run";

    /// <summary>The start of the names of the files this process writes, removed when it did not commit; null keeps
    /// them (a commit step committing files other processes wrote).</summary>
    public string? FilePrefix { get; init; } = $"{OrphanCleaner.FilePrefix}{runId}-";

    /// <summary>The clock that stamps a log entry's <c>committedAt</c>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The latest version when Prepare ran: a concurrent commit after it can conflict with this run's.</summary>
    public long BaseVersion { get; private set; }

    /// <summary>Where the run's writers put files: <c>_tmp/&lt;runId&gt;/</c> on the local disk (renamed into place on
    /// commit), the sink folder itself on object stores (no rename there).</summary>
    public string StagingFolder => IsLocal ? _storage.Combine(_storage.Combine(SinkFolder, TempFolderName), runId) : SinkFolder;

    private bool IsLocal => _storage.Scheme == "file";

    /// <summary>Where a writer puts the file that will be <paramref name="relative"/> in the sink folder. On the local
    /// disk the staging folder is flat (file names are unique in a run): thousands of partitions would otherwise cost
    /// thousands of folders made, then removed, besides the sink's own.</summary>
    public static string StagedPath(IStorage storage, string stagingFolder, string relative) =>
        storage.Scheme == "file" ? storage.Combine(stagingFolder, relative[(relative.LastIndexOf('/') + 1)..] + StagingSuffix) : storage.Combine(stagingFolder, relative);

    /// <summary>Before the run: takes the run's lease, cleans after dead runs, repairs derived files, checks the mode.</summary>
    public async Task PrepareAsync(DateTimeOffset? startedAt = null, CancellationToken cancellationToken = default)
    {
        _lease ??= await RunLease.AcquireAsync(_storage, SinkFolder, runId, LeaseName, cancellationToken);
        await OrphanCleaner.CleanDeadRunsAsync(_storage, SinkFolder, runId, cancellationToken);
        var snapshot = await DeriveAsync(_storage, SinkFolder, cancellationToken);
        BaseVersion = snapshot.Version;
        if (spec.Mode == SinkMode.ErrorIfExists
            && (snapshot.Files.Count > 0 || (snapshot.Manifest is null && (await LegacyFilesAsync(null, cancellationToken)).Count > 0)))
        {
            throw new IOException($"sink '{spec.Path}' already holds data and its mode is errorIfExists");
        }
    }

    /// <summary>
    /// Commits <paramref name="commit"/> as the folder's next version, then derives the manifest and removes replaced
    /// files. <paramref name="countRows"/> counts the rows of data files a folder written before manifests holds.
    /// </summary>
    public async Task<CommitOutcome> CommitAsync(LakeCommit commit, Func<string, Task<long>>? countRows = null, CancellationToken cancellationToken = default)
    {
        RequireLease();
        await _storage.DeleteAsync(_storage.Combine(SinkFolder, SuccessName), cancellationToken);
        await _checkpoint("commit-start", cancellationToken);
        await PublishAsync(commit.Files, cancellationToken);
        LogEntry entry;
        LakeSnapshot? committed;
        try
        {
            (entry, committed) = await AppendAsync(commit, countRows, cancellationToken);
        }
        catch (CommitConflictException)
        {
            await AbortAsync();
            throw;
        }
        _committed = true;
        if (committed is null)
        {
            await FinishAsync(cancellationToken);
            return new CommitOutcome(entry.Version, AlreadyCommitted: true);
        }
        await _checkpoint("commit-log", cancellationToken);
        var derived = await DeriveAsync(_storage, SinkFolder, cancellationToken, writeSuccess: false, committed);
        await _checkpoint("commit-manifest", cancellationToken);
        var held = derived.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var removed in entry.Remove.Where(p => !held.Contains(p)))
        {
            await OrphanCleaner.DeleteAsync(_storage, SinkFolder, Inside(removed), cancellationToken);
        }
        await _storage.WriteAllBytesAsync(_storage.Combine(SinkFolder, SuccessName), Array.Empty<byte>(), cancellationToken);
        await FinishAsync(cancellationToken);
        return new CommitOutcome(entry.Version, AlreadyCommitted: false);
    }

    /// <summary>On the local disk, renames each staged file into place (a file already moved is skipped, so a repeated
    /// commit after a crash goes on where it stopped).</summary>
    private async Task PublishAsync(IReadOnlyList<StagedFile> files, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var file in files)
        {
            var target = Inside(file.RelativePath);
            if (file.StagingPath == target || await _storage.StatAsync(file.StagingPath, cancellationToken) is null)
            {
                continue;
            }
            await _storage.MoveAsync(file.StagingPath, target, cancellationToken);
            if (first)
            {
                first = false;
                await _checkpoint("commit-rename", cancellationToken);
            }
        }
    }

    /// <summary>Creates the next version holding the commit, retrying at later versions while no concurrent commit
    /// conflicts; returns the entry created with the folder as of it, or the earlier entry of the same run (a repeated
    /// commit) and null.</summary>
    private async Task<(LogEntry Entry, LakeSnapshot? Committed)> AppendAsync(LakeCommit commit, Func<string, Task<long>>? countRows, CancellationToken cancellationToken)
    {
        var seen = commit.BaseVersion ?? BaseVersion;
        var ours = commit.Files.Select(f => new ManifestFile(f.RelativePath, f.Partition, f.Rows, f.Bytes, f.Schema)).ToList();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var snapshot = await CommitLog.SnapshotAsync(_storage, SinkFolder, cancellationToken);
            foreach (var version in Enumerable.Range(0, (int)Math.Max(0, snapshot.Version - seen)).Select(i => seen + 1 + i))
            {
                var other = await CommitLog.ReadAsync(_storage, SinkFolder, version, cancellationToken);
                if (other.RunId == commit.RunId)
                {
                    return (other, null);
                }
                if (ConflictWith(commit, other) is { } reason)
                {
                    throw new CommitConflictException(
                        $"sink '{spec.Path}': run {other.RunId} committed version {other.Version} ({other.Mode}, at {other.CommittedAt.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}) "
                        + $"while run {commit.RunId} was writing, and {reason}; nothing of run {commit.RunId} was committed", other);
                }
            }
            seen = Math.Max(seen, snapshot.Version);
            var entry = await NextEntryAsync(commit, ours, snapshot, countRows, cancellationToken);
            if (await CommitLog.TryAppendAsync(_storage, SinkFolder, entry, cancellationToken))
            {
                // A first version lists every file the folder keeps: it applies to nothing, as reading the log does.
                return (entry, (snapshot.Version == 0 ? LakeSnapshot.Empty : snapshot).Apply(entry));
            }
        }
        throw new IOException($"sink '{spec.Path}': {MaxAttempts} other commits landed while run {commit.RunId} tried to commit; try again");
    }

    /// <summary>Why <paramref name="commit"/> cannot go on top of <paramref name="other"/>, a version committed since
    /// the run started; null when both can stand (appends, overwrites of other partitions).</summary>
    private static string? ConflictWith(LakeCommit commit, LogEntry other)
    {
        if (commit.State is not null && other.State is not null)
        {
            return "it advanced the incremental cursor this run started from";
        }
        return commit.Mode switch
        {
            SinkMode.Overwrite when other.Touches(commit.ReplacedPartitions) => commit.ReplacedPartitions is null
                ? "this run's overwrite would have replaced its data unseen"
                : $"it changed partitions this run overwrites ({string.Join(", ", commit.ReplacedPartitions)})",
            SinkMode.ErrorIfExists when other.Add.Count > 0 => "the sink's mode is errorIfExists",
            _ => null,
        };
    }

    private async Task<LogEntry> NextEntryAsync(LakeCommit commit, List<ManifestFile> ours, LakeSnapshot snapshot,
        Func<string, Task<long>>? countRows, CancellationToken cancellationToken)
    {
        var genesis = snapshot.Version == 0;
        var ourPaths = ours.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        // The first version takes over what the folder already holds: an earlier Etl's manifest, or its data files.
        var existing = !genesis ? snapshot.Files
            : snapshot.Manifest is not null ? await PresentAsync(snapshot.Files, cancellationToken)
            : await LegacyFilesAsync(countRows, cancellationToken, ourPaths);
        var replaced = commit.Mode != SinkMode.Overwrite ? []
            : existing.Where(f => commit.ReplacedPartitions is not { } parts || parts.Contains(f.Partition ?? "", StringComparer.Ordinal)).ToList();
        var replacedPaths = replaced.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        var kept = genesis ? existing.Where(f => !replacedPaths.Contains(f.Path) && !ourPaths.Contains(f.Path)) : [];
        return new LogEntry
        {
            Version = snapshot.Version + 1,
            RunId = commit.RunId,
            CommittedAt = Time.GetUtcNow(),
            Mode = commit.Mode.ToString().ToLowerInvariant(),
            BaseVersion = commit.BaseVersion ?? BaseVersion,
            Add = [.. kept.Concat(ours)],
            Remove = [.. replacedPaths.Where(p => !ourPaths.Contains(p)).Order(StringComparer.Ordinal)],
            ReplacedPartitions = commit.Mode == SinkMode.Overwrite ? commit.ReplacedPartitions : null,
            Manifest = commit.Manifest with { Files = [], Version = null, State = null },
            State = commit.State,
        };
    }

    /// <summary>
    /// Brings <c>_manifest.json</c> (and <c>_state.json</c>, and <c>_SUCCESS</c> when asked) up to the latest version
    /// of the log, again while other runs commit meanwhile; returns the snapshot written. <paramref name="known"/> is the
    /// folder as of a version the caller just committed: used when it is still the latest, instead of reading the log.
    /// </summary>
    public static async Task<LakeSnapshot> DeriveAsync(IStorage storage, string sinkFolder, CancellationToken cancellationToken,
        bool writeSuccess = true, LakeSnapshot? known = null)
    {
        var snapshot = known is not null && await CommitLog.LatestVersionAsync(storage, sinkFolder, cancellationToken) == known.Version
            ? known
            : await CommitLog.SnapshotAsync(storage, sinkFolder, cancellationToken);
        for (var attempt = 0; attempt < MaxAttempts && snapshot.Version > 0; attempt++)
        {
            // Only the versions are compared: a manifest of thousands of files is read whole only when it must be.
            if (await RunManifest.TryReadVersionAsync(sinkFolder, cancellationToken) != snapshot.Version)
            {
                var manifest = snapshot.ToManifest()!;
                await storage.WriteAllBytesAsync(storage.Combine(sinkFolder, ManifestName), JsonSerializer.SerializeToUtf8Bytes(manifest, RunManifest.JsonOptions), cancellationToken);
                if (snapshot.State is { } state)
                {
                    await storage.WriteAllBytesAsync(storage.Combine(sinkFolder, StateName), JsonSerializer.SerializeToUtf8Bytes(state, IncrementalState.JsonOptions), cancellationToken);
                }
            }
            // A slower committer may have written an older version over a newer one: check, and write again if so.
            if (await CommitLog.LatestVersionAsync(storage, sinkFolder, cancellationToken) == snapshot.Version
                && await RunManifest.TryReadVersionAsync(sinkFolder, cancellationToken) == snapshot.Version)
            {
                if (writeSuccess && await storage.StatAsync(storage.Combine(sinkFolder, SuccessName), cancellationToken) is null)
                {
                    await storage.WriteAllBytesAsync(storage.Combine(sinkFolder, SuccessName), Array.Empty<byte>(), cancellationToken);
                }
                break;
            }
            snapshot = await CommitLog.SnapshotAsync(storage, sinkFolder, cancellationToken);
        }
        return snapshot;
    }

    /// <summary>After the run, committed or not: a run that did not commit removes this process's files; the lease goes.</summary>
    public async Task AbortAsync()
    {
        if (_lease is not null && !_committed)
        {
            try
            {
                if (FilePrefix is not null)
                {
                    await OrphanCleaner.CleanOwnFilesAsync(_storage, SinkFolder, _storage.Combine(_storage.Combine(SinkFolder, TempFolderName), runId), FilePrefix, CancellationToken.None);
                }
                _lease.Dispose();
                await _storage.DeleteAsync(_lease.Path, CancellationToken.None);
                await TryDeleteEmptyAsync(_storage.Parent(_lease.Path)!);
                await TryDeleteEmptyAsync(_storage.Combine(SinkFolder, RunLease.FolderName));
                await TryDeleteEmptyAsync(StagingFolder);
                await TryDeleteEmptyAsync(_storage.Combine(SinkFolder, TempFolderName));
            }
#pragma warning disable CA1031 // Cleaning up after a failure must not hide that failure, whatever the storage throws.
            catch (Exception)
#pragma warning restore CA1031
            {
                // Left for a later run, which cleans after runs whose lease is gone.
            }
        }
        Dispose();
    }

    /// <summary>The end of a commit: the whole run is committed, so its run folder and staging folder go.</summary>
    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        _lease?.Dispose();
        _lease = null;
        await _storage.DeleteFolderAsync(RunLease.FolderOf(_storage, SinkFolder, runId), cancellationToken);
        if (IsLocal)
        {
            await _storage.DeleteFolderAsync(StagingFolder, cancellationToken);
        }
        await TryDeleteEmptyAsync(_storage.Combine(SinkFolder, RunLease.FolderName));
        await TryDeleteEmptyAsync(_storage.Combine(SinkFolder, TempFolderName));
    }

    public void Dispose()
    {
        _lease?.Dispose();
        _lease = null;
    }

    private void RequireLease()
    {
        if (_lease is null)
        {
            throw new InvalidOperationException($"sink '{spec.Path}' is not prepared: call PrepareAsync first");
        }
    }

    /// <summary>Those of a manifest's files still present (a folder an earlier Etl wrote).</summary>
    private async Task<List<ManifestFile>> PresentAsync(IReadOnlyList<ManifestFile> files, CancellationToken cancellationToken)
    {
        var present = new List<ManifestFile>();
        foreach (var file in files)
        {
            if (await _storage.StatAsync(Inside(file.Path), cancellationToken) is not null)
            {
                present.Add(file);
            }
        }
        return present;
    }

    /// <summary>The data files of a folder that has neither log nor manifest, leaving out files of runs in flight.</summary>
    private async Task<List<ManifestFile>> LegacyFilesAsync(Func<string, Task<long>>? countRows, CancellationToken cancellationToken, HashSet<string>? ours = null)
    {
        var runs = new List<string>();
        await foreach (var folder in _storage.ListFoldersAsync(_storage.Combine(SinkFolder, RunLease.FolderName), cancellationToken))
        {
            runs.Add(folder.TrimEnd('/')[(folder.TrimEnd('/').Replace('\\', '/').LastIndexOf('/') + 1)..]);
        }
        var result = new List<ManifestFile>();
        foreach (var entry in await VisibleDataFilesAsync(SinkFolder, cancellationToken))
        {
            var relative = _storage.RelativePath(SinkFolder, entry.Path);
            var name = relative[(relative.LastIndexOf('/') + 1)..];
            if (ours?.Contains(relative) == true || runs.Any(r => name.StartsWith($"{OrphanCleaner.FilePrefix}{r}-", StringComparison.Ordinal)))
            {
                continue;
            }
            var slash = relative.LastIndexOf('/');
            result.Add(new ManifestFile(relative, slash < 0 ? null : relative[..slash], countRows is null ? 0 : await countRows(entry.Path), entry.Length));
        }
        return result;
    }

    /// <summary>Resolves a path relative to the sink folder, refusing any that would leave it.</summary>
    private string Inside(string relative)
    {
        var segments = relative.Replace('\\', '/').Split('/');
        if (relative.Length == 0 || relative.StartsWith('/') || relative.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s is "" or "." or ".."))
        {
            throw new InvalidDataException($"commit names '{relative}', which is outside '{SinkFolder}'");
        }
        return _storage.Combine(SinkFolder, relative);
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

    private async Task TryDeleteEmptyAsync(string folder)
    {
        try
        {
            await _storage.DeleteFolderIfEmptyAsync(folder, CancellationToken.None);
        }
        catch (IOException)
        {
            // Another run's file arrived meanwhile, or the folder is gone already.
        }
    }
}
