// The whole run as the sum of its shards: counts, stages, the failure limits, the schema and the highest cursor.
using Etl.Lake;
using Etl.Spec;

namespace Etl.Runtime;

internal sealed record ShardTotals(ManifestCounts Counts, ShardRequestCounts RequestCounts, IReadOnlyList<ManifestStage> Stages,
    IReadOnlyList<ManifestColumn> Schema, IReadOnlyList<string> SchemaChanges, string? SchemaConflict, CursorKey? Cursor)
{
    public static ShardTotals Sum(IReadOnlyList<ShardManifest> manifests)
    {
        var c = manifests.Select(m => m.Counts).ToList();
        var counts = new ManifestCounts(c.Sum(x => x.Read), c.Sum(x => x.Filtered), c.Sum(x => x.Failed), c.Sum(x => x.Added), c.Sum(x => x.Written),
            c.Sum(x => x.Requests), c.Sum(x => x.Retries), c.Sum(x => x.FailedRequests), c.Sum(x => x.Pages));
        var r = manifests.Select(m => m.RequestCounts ?? new ShardRequestCounts(0, 0, 0)).ToList();
        var requests = new ShardRequestCounts(r.Sum(x => x.ParentRequests), r.Sum(x => x.FailedParentRequests), r.Sum(x => x.ParentRecordsWithoutKey));
        // Every shard runs the same mesh, so stages line up by name, in the first shard's order.
        var stages = manifests.SelectMany(m => m.Stages).GroupBy(st => (st.Name, st.Kind))
            .Select(g => new ManifestStage(g.Key.Name, g.Key.Kind, g.Sum(st => st.In), g.Sum(st => st.Out))).ToList();
        var (schema, conflict) = MergeSchemas(manifests);
        CursorKey? cursor = null;
        foreach (var key in manifests.Where(m => m.Cursor is not null).Select(m => CursorKey.FromText(m.Cursor!)))
        {
            if (cursor is not { } max || key > max)
            {
                cursor = key;
            }
        }
        return new ShardTotals(counts, requests, stages, schema, [.. manifests.SelectMany(m => (m.SchemaChanges ?? []).Select(ch => $"shard {m.Shard}: {ch}"))],
            conflict, cursor);
    }

    /// <summary>The columns of all shards, in the order they first appear; a column two shards typed differently is a
    /// conflict to resolve by declaring it in "schema" (each shard infers types from its own records).</summary>
    private static (IReadOnlyList<ManifestColumn> Schema, string? Conflict) MergeSchemas(IReadOnlyList<ShardManifest> manifests)
    {
        var columns = new List<ManifestColumn>();
        var owner = new Dictionary<string, (string Type, int Shard)>(StringComparer.Ordinal);
        foreach (var manifest in manifests)
        {
            foreach (var column in manifest.Schema)
            {
                if (!owner.TryGetValue(column.Name, out var seen))
                {
                    owner[column.Name] = (column.Type, manifest.Shard);
                    columns.Add(column);
                }
                else if (seen.Type != column.Type)
                {
                    return (columns, $"column '{column.Name}' is {seen.Type} in shard {seen.Shard} and {column.Type} in shard {manifest.Shard} "
                        + $"(each shard infers types from its own records); declare it in \"schema\" and run the shards again; nothing was committed");
                }
            }
        }
        return (columns, null);
    }

    /// <summary>errors.maxFailedRecords and maxFailedRequests applied to the whole run; null within them.</summary>
    public string? LimitExceeded(ErrorsSpec? errors)
    {
        var (maxRecords, maxRequests) = (errors?.MaxFailedRecords ?? 0, errors?.MaxFailedRequests ?? 0);
        if (Counts.FailedRequests > maxRequests)
        {
            return $"{Counts.FailedRequests} request(s) failed in all shards, more than errors.maxFailedRequests ({maxRequests}); nothing was committed; the shards' dead-letter files say which";
        }
        return Counts.Failed > maxRecords
            ? $"{Counts.Failed} record(s) failed in all shards, more than errors.maxFailedRecords ({maxRecords}); nothing was committed; the shards' dead-letter files say which"
            : null;
    }

    public RunManifest Manifest(LoadedSpec loaded, string runId, SinkSpec sink, DateTimeOffset started, DateTimeOffset ended) => new()
    {
        RunId = runId,
        Spec = loaded.Spec.Name,
        SpecSha256 = loaded.Sha256,
        Parameters = loaded.Parameters.ToDictionary(kv => kv.Key, kv => SecretNames.IsSecret(kv.Key) ? Redactor.Mask : loaded.Secrets.Redact(kv.Value)),
        StartedAt = started,
        EndedAt = ended,
        EtlVersion = EtlVersion.Current,
        Mode = sink.Mode.ToString().ToLowerInvariant(),
        Counts = Counts,
        Stages = Stages,
        Schema = Schema,
        SchemaChanges = SchemaChanges.Count == 0 ? null : SchemaChanges,
        PartitionBy = sink.PartitionBy,
        Files = [],
    };
}
