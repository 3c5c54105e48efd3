// The end of a successful run: close every writer, plan every sink's commit, write every journal, then apply them.
using Etl.Lake;
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Runtime;

internal sealed class RunCommit(RunContext run, DateTimeOffset started, IReadOnlyList<IReadOnlyList<ISink>> sinks,
    IReadOnlyList<LakeCommitter> committers, Conformer conformer, CursorTracker? cursor)
{
    /// <summary>Whether the journals are written: from then on the commit happens, whatever stops this process.</summary>
    public bool Decided { get; private set; }

    /// <summary>Plans every sink, then writes every journal, then applies: a kill once the journals are written leaves
    /// each sink to be rolled forward by the next run, so the sinks end up agreeing.</summary>
    public async Task<IReadOnlyList<SinkResult>> CommitAsync(CancellationToken cancellationToken)
    {
        var journals = new List<CommitJournal>();
        var results = new List<SinkResult>();
        for (var s = 0; s < sinks.Count; s++)
        {
            var files = new List<StagedFile>();
            foreach (var writer in sinks[s])
            {
                files.AddRange(await writer.CloseAsync(cancellationToken));
            }
            journals.Add(await PlanAsync(s, files));
            var sinkSpec = run.Spec.Spec.Sinks[s];
            results.Add(new SinkResult(Components.For(sinkSpec.GetType()).Type, sinkSpec.Path, files.Sum(f => f.Rows), files));
        }
        cancellationToken.ThrowIfCancellationRequested();
        for (var s = 0; s < sinks.Count; s++)
        {
            await committers[s].DecideAsync(journals[s], CancellationToken.None);
            Decided = true;
        }
        // Decided: a Ctrl+C from here on no longer stops the commit.
        foreach (var committer in committers)
        {
            await committer.ApplyAsync(CancellationToken.None);
        }
        return results;
    }

    private Task<CommitJournal> PlanAsync(int s, IReadOnlyList<StagedFile> files)
    {
        var sinkSpec = run.Spec.Spec.Sinks[s];
        var incremental = run.Spec.Spec.Source.Incremental;
        var extra = s == 0 && incremental is not null && cursor?.Max is { } max
            ? [new IncrementalState(incremental.CursorField, max.Text, run.RunId, run.Time.GetUtcNow()).ToJournalWrite()]
            : Array.Empty<JournalWrite>();
        var counter = sinks[s][0];
        return committers[s].PlanAsync(files, all => Manifest(sinkSpec, all),
            path => counter.CountFileRowsAsync(path, CancellationToken.None), extra, CancellationToken.None);
    }

    private RunManifest Manifest(SinkSpec sink, IReadOnlyList<ManifestFile> files)
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
            Files = files,
        };
    }
}
