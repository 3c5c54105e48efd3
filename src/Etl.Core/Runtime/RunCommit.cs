// The end of a successful run: close every writer, then commit every sink in spec order, each as one new log version.
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Runtime;

internal sealed class RunCommit(RunContext run, DateTimeOffset started, IReadOnlyList<IReadOnlyList<ISink>> sinks,
    IReadOnlyList<LakeCommitter> committers, Conformer conformer, CursorTracker? cursor)
{
    /// <summary>Whether a sink's commit has started: from then on Ctrl+C no longer stops the commit.</summary>
    public bool Decided { get; private set; }

    /// <summary>Closes every writer, then commits the sinks in spec order: a run that loses a conflict at one sink stops
    /// there, so two runs racing over the same sinks cannot each win some.</summary>
    public async Task<IReadOnlyList<SinkResult>> CommitAsync(CancellationToken cancellationToken)
    {
        var commits = new List<LakeCommit>();
        var results = new List<SinkResult>();
        for (var s = 0; s < sinks.Count; s++)
        {
            var files = new List<StagedFile>();
            foreach (var writer in sinks[s])
            {
                files.AddRange(await writer.CloseAsync(cancellationToken));
            }
            if (files.Count == 0 && conformer.Schema is { Count: > 0 } schema
                && await sinks[s][0].WriteEmptyAsync(schema, committers[s].StagingFolder, cancellationToken) is { } empty)
            {
                files.Add(empty);
            }
            commits.Add(For(s, files));
            var sinkSpec = run.Spec.Spec.Sinks[s];
            results.Add(new SinkResult(Components.For(sinkSpec.GetType()).Type, sinkSpec.Path, files.Sum(f => f.Rows), files));
        }
        cancellationToken.ThrowIfCancellationRequested();
        Decided = true;
        for (var s = 0; s < sinks.Count; s++)
        {
            var counter = sinks[s][0];
            await committers[s].CommitAsync(commits[s], path => counter.CountFileRowsAsync(path, CancellationToken.None), CancellationToken.None);
        }
        return results;
    }

    private LakeCommit For(int s, IReadOnlyList<StagedFile> files)
    {
        var sinkSpec = run.Spec.Spec.Sinks[s];
        var incremental = run.Spec.Spec.Source.Incremental;
        return new LakeCommit
        {
            RunId = run.RunId,
            Mode = sinkSpec.Mode,
            Files = files,
            ReplacedPartitions = LakeCommit.ReplacedBy(sinkSpec, files),
            Manifest = Manifest(sinkSpec),
            State = s == 0 && incremental is not null && cursor?.Max is { } max
                ? new IncrementalState(incremental.CursorField, max.Text, run.RunId, run.Time.GetUtcNow())
                : null,
        };
    }

    private RunManifest Manifest(SinkSpec sink)
    {
        var (c, loaded) = (run.Counters, run.Spec);
        return new RunManifest
        {
            RunId = run.RunId,
            Spec = loaded.Spec.Name,
            SpecSha256 = loaded.Sha256,
            Parameters = loaded.Parameters.ToDictionary(kv => kv.Key, kv => SecretNames.IsSecret(kv.Key) ? Redactor.Mask : loaded.Secrets.Redact(kv.Value)),
            StartedAt = started,
            EndedAt = run.Time.GetUtcNow(),
            EtlVersion = EtlVersion.Current,
            Mode = sink.Mode.ToString().ToLowerInvariant(),
            Counts = new ManifestCounts(c.Read, c.Filtered, c.Failed, c.Added, c.Written, c.Requests, c.Retries, c.FailedRequests, c.Pages),
            Stages = [.. c.Stages.Select(st => new ManifestStage(st.Name, st.Kind, st.In, st.Out))],
            Schema = [.. (conformer.Schema?.Columns ?? []).Select(col => new ManifestColumn(col.Name, col.Type.ToString()))],
            SchemaChanges = conformer.Changes.Count == 0 ? null : [.. conformer.Changes.Select(change => change.ToString())],
            PartitionBy = sink.PartitionBy,
            Files = [],
        };
    }
}
