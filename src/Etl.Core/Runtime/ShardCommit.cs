// etl commit: checks that every shard of a run is complete, applies the run's failure limits to the sum, and commits the
// files of all shards to each sink as one commit; a run committed already is left as it is.
using System.Security.Cryptography;
using System.Text;
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;
using Etl.Storage;
using Microsoft.Extensions.Logging;

namespace Etl.Runtime;

public sealed class ShardCommit(RunOptions? options = null)
{
    private readonly RunOptions _options = options ?? new RunOptions();

    /// <summary>SHA-256 of the spec text and its non-secret parameters (secrets are left out, not even hashed): shards that
    /// ran with another spec or another --param are refused by the commit.</summary>
    public static string Fingerprint(LoadedSpec loaded)
    {
        var text = new StringBuilder(loaded.Sha256);
        foreach (var (name, value) in loaded.Parameters.Where(p => !SecretNames.IsSecret(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append('=').Append(loaded.Secrets.Redact(value));
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public async Task<RunResult> CommitAsync(LoadedSpec loaded, int shards, string runId, CancellationToken cancellationToken)
    {
        var started = _options.Time.GetUtcNow();
        var spec = loaded.Spec;
        var folders = spec.Sinks.Select(s => StorageRegistry.For(s.Path).FullPath(s.Path)).ToList();
        var pending = new List<int>();
        for (var s = 0; s < folders.Count; s++)
        {
            if (await ShardCommitMarker.TryReadAsync(folders[s], runId, cancellationToken) is null)
            {
                pending.Add(s);
            }
        }
        var result = new ShardCommitResult(loaded, runId, started, _options.Time);
        if (shards < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shards), shards, "a run has at least 1 shard");
        }
        if (pending.Count == 0)
        {
            var marker = await ShardCommitMarker.TryReadAsync(folders[0], runId, cancellationToken);
            if (_options.Logger.IsEnabled(LogLevel.Information))
            {
                _options.Logger.LogInformation("{Spec}: run {RunId} is committed already; nothing to do", spec.Name, runId);
            }
            return result.AlreadyCommitted(marker!);
        }
        var (manifests, problems) = await ShardManifests.ReadAsync(loaded, folders, pending, shards, runId, cancellationToken);
        if (problems.Count > 0)
        {
            return result.Failed(RunStatus.ShardsIncomplete,
                $"run {runId} cannot be committed ({problems.Count} of {shards} shard(s) not complete), nothing was:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}", manifests);
        }
        var totals = ShardTotals.Sum(manifests);
        if (totals.LimitExceeded(spec.Errors) is { } tooMany)
        {
            return result.Failed(RunStatus.TooManyFailures, tooMany, manifests);
        }
        if (totals.SchemaConflict is { } conflict)
        {
            return result.Failed(RunStatus.Failed, conflict, manifests);
        }
        try
        {
            await CommitSinksAsync(loaded, runId, shards, folders, pending, manifests, totals, manifests.Min(m => m.StartedAt), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = RunFailure.Unwrap(e);
            return result.Failed(error is SinkLockedException ? RunStatus.Locked : RunStatus.Failed, error.Message, manifests);
        }
        await CleanUpAsync(folders, runId, shards);
        if (_options.Logger.IsEnabled(LogLevel.Information))
        {
            _options.Logger.LogInformation("{Spec}: run {RunId} of {Shards} shards committed — read {Read}, failed {Failed}, written {Written}",
                spec.Name, runId, shards, totals.Counts.Read, totals.Counts.Failed, totals.Counts.Written);
        }
        return result.Committed(manifests, totals);
    }

    private async Task CommitSinksAsync(LoadedSpec loaded, string runId, int shards, List<string> folders, List<int> pending,
        IReadOnlyList<ShardManifest> manifests, ShardTotals totals, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var spec = loaded.Spec;
        var incremental = spec.Source.Incremental;
        await using var deadLetters = new DeadLetterWriter(folders[0], runId + "-commit", loaded.Secrets);
        var run = new RunContext { RunId = runId, Spec = loaded, DeadLetters = deadLetters, Time = _options.Time, Logger = _options.Logger };
        foreach (var s in pending)
        {
            var sinkSpec = spec.Sinks[s];
            var files = manifests.SelectMany(m => m.Sinks[s].Files).ToList();
            var extra = new List<JournalWrite>();
            if (s == 0 && incremental is not null && totals.Cursor is { } cursor)
            {
                extra.Add(new IncrementalState(incremental.CursorField, cursor.Text, runId, _options.Time.GetUtcNow()).ToJournalWrite());
            }
            // The marker rides in the same journal as the files: the sink has both or neither.
            extra.Add(new ShardCommitMarker(runId, shards, _options.Time.GetUtcNow(), totals.Counts, files.Count).ToJournalWrite());
            await using var counter = (ISink)Components.For(sinkSpec.GetType()).Create(sinkSpec, run);
            await ShardLake.CommitAsync(sinkSpec, runId, files, all => totals.Manifest(loaded, runId, sinkSpec, all, started, _options.Time.GetUtcNow()),
                path => counter.CountFileRowsAsync(path, CancellationToken.None), extra, _options.Checkpoint, started, cancellationToken);
        }
    }

    /// <summary>Removes the shards' folders and manifests (files of attempts that were replaced, and the manifests now
    /// in the commit); the marker stays. What cannot be removed now is harmless: it is hidden and never committed.</summary>
    private static async Task CleanUpAsync(List<string> folders, string runId, int shards)
    {
        foreach (var folder in folders)
        {
            var storage = StorageRegistry.For(folder);
            for (var i = 0; i < shards; i++)
            {
                try
                {
                    await storage.DeleteFolderAsync(ShardLayout.ShardFolder(folder, runId, i), CancellationToken.None);
                    if (await storage.StatAsync(ShardLayout.ManifestPath(folder, runId, i), CancellationToken.None) is not null)
                    {
                        await storage.DeleteAsync(ShardLayout.ManifestPath(folder, runId, i), CancellationToken.None);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Left behind; hidden below _shards/.
                }
            }
        }
    }
}
