// etl commit: checks that every shard of a run is complete, applies the run's failure limits to the sum, and commits the
// files of all shards to each sink as one version of its commit log; a run committed already is left as it is.
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
    /// <summary>The lease name of the committing process in the run folder, beside the shards'.</summary>
    public const string LeaseName = "commit";

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

    /// <summary>The version of <paramref name="sinkFolder"/>'s commit log that holds run <paramref name="runId"/>, newest
    /// first; null when the run never committed there.</summary>
    public static async Task<long?> CommittedVersionAsync(string sinkFolder, string runId, CancellationToken cancellationToken)
    {
        var storage = StorageRegistry.For(sinkFolder);
        foreach (var version in (await CommitLog.VersionsAsync(storage, sinkFolder, cancellationToken)).Reverse())
        {
            if ((await CommitLog.ReadAsync(storage, sinkFolder, version, cancellationToken)).RunId == runId)
            {
                return version;
            }
        }
        return null;
    }

    public async Task<RunResult> CommitAsync(LoadedSpec loaded, int shards, string runId, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var started = _options.Time.GetUtcNow();
        var spec = loaded.Spec;
        var folders = spec.Sinks.Select(s => StorageRegistry.For(s.Path).FullPath(s.Path)).ToList();
        var result = new ShardCommitResult(loaded, runId, started, _options.Time);
        var read = await ShardManifests.ReadAsync(loaded, folders, shards, runId, cancellationToken);
        if (read.Pending.Count == 0)
        {
            if (_options.Logger.IsEnabled(LogLevel.Information))
            {
                _options.Logger.LogInformation("{Spec}: run {RunId} is committed already; nothing to do", spec.Name, runId);
            }
            return result.AlreadyCommitted(read.Committed);
        }
        if (read.Problems.Count > 0)
        {
            return result.Failed(RunStatus.ShardsIncomplete,
                $"run {runId} cannot be committed ({read.Problems.Count} problem(s)), nothing was:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", read.Problems)}",
                read.Manifests);
        }
        var totals = ShardTotals.Sum(read.Manifests);
        if (totals.LimitExceeded(spec.Errors) is { } tooMany)
        {
            return result.Failed(RunStatus.TooManyFailures, tooMany, read.Manifests);
        }
        if (totals.SchemaConflict is { } conflict)
        {
            return result.Failed(RunStatus.Failed, conflict, read.Manifests);
        }
        try
        {
            foreach (var s in read.Pending)
            {
                await CommitSinkAsync(loaded, runId, s, read.Manifests, totals, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = RunFailure.Unwrap(e);
            return result.Failed(error is CommitConflictException ? RunStatus.Conflict : RunStatus.Failed, error.Message, read.Manifests);
        }
        if (_options.Logger.IsEnabled(LogLevel.Information))
        {
            _options.Logger.LogInformation("{Spec}: run {RunId} of {Shards} shard(s) committed — read {Read}, failed {Failed}, written {Written}",
                spec.Name, runId, shards, totals.Counts.Read, totals.Counts.Failed, totals.Counts.Written);
        }
        return result.Committed(read.Manifests, totals);
    }

    /// <summary>One version of sink <paramref name="s"/>'s log holding every shard's files. It starts from the lowest
    /// version a shard started from: if this run's commit landed already (a commit killed before it tidied up), the
    /// committer finds it there and does nothing.</summary>
    private async Task CommitSinkAsync(LoadedSpec loaded, string runId, int s, IReadOnlyList<ShardManifest> manifests, ShardTotals totals,
        CancellationToken cancellationToken)
    {
        var sinkSpec = loaded.Spec.Sinks[s];
        var incremental = loaded.Spec.Source.Incremental;
        // A failed commit must not remove the shards' files (FilePrefix null): a retry commits them.
        using var committer = new LakeCommitter(sinkSpec, runId, _options.Checkpoint) { LeaseName = LeaseName, FilePrefix = null, Time = _options.Time };
        await committer.PrepareAsync(_options.Time.GetUtcNow(), cancellationToken);
        var storage = StorageRegistry.For(committer.SinkFolder);
        var files = manifests.SelectMany(m => m.Sinks[s].Files)
            .Select(f => new StagedFile(storage.Combine(committer.SinkFolder, f.Path), f.RelativePath, f.Partition, f.Rows, f.Bytes, f.Schema)).ToList();
        await using var deadLetters = new DeadLetterWriter(committer.SinkFolder, runId + "-commit", loaded.Secrets);
        var run = new RunContext { RunId = runId, Spec = loaded, DeadLetters = deadLetters, Time = _options.Time, Logger = _options.Logger };
        await using var counter = (ISink)Components.For(sinkSpec.GetType()).Create(sinkSpec, run);
        var commit = new LakeCommit
        {
            RunId = runId,
            Mode = sinkSpec.Mode,
            Files = files,
            ReplacedPartitions = LakeCommit.ReplacedBy(sinkSpec, files),
            Manifest = totals.Manifest(loaded, runId, sinkSpec, manifests.Min(m => m.StartedAt), _options.Time.GetUtcNow()),
            State = s == 0 && incremental is not null && totals.Cursor is { } cursor
                ? new IncrementalState(incremental.CursorField, cursor.Text, runId, _options.Time.GetUtcNow())
                : null,
            BaseVersion = manifests.Min(m => m.Sinks[s].BaseVersion),
        };
        await committer.CommitAsync(commit, path => counter.CountFileRowsAsync(path, CancellationToken.None), cancellationToken);
        await committer.AbortAsync();
    }
}
