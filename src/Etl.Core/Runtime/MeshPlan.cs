// The blocks a spec's mesh is made of, with their options: what `etl plan` prints and what the runner builds.
using System.Text;
using Etl.Spec;

namespace Etl.Runtime;

public sealed record PlannedBlock(string Id, string Name, string Kind, int MaxDegreeOfParallelism, int? BoundedCapacity, string Detail, int? BatchSize = null);

public sealed record MeshPlan(string SpecName, IReadOnlyList<PlannedBlock> Blocks, IReadOnlyList<(string From, string To)> Links)
{
    /// <summary>Writers take one batch at a time: a second waiting batch per writer is enough to keep it busy.</summary>
    public const int WriterCapacity = 1;

    /// <summary>Records travel between blocks in chunks of up to this many: one dataflow message per chunk.</summary>
    public const int MaxChunkSize = 512;

    /// <summary>Chunk size and per-block capacity (in chunks) so that a block holds at most boundedCapacity records.</summary>
    public static (int ChunkSize, int ChunkCapacity) Layout(BatchSpec batch)
    {
        var chunk = Math.Clamp(batch.BoundedCapacity, 1, MaxChunkSize);
        return (chunk, Math.Max(1, batch.BoundedCapacity / chunk));
    }

    public static MeshPlan For(LoadedSpec loaded)
    {
        var spec = loaded.Spec;
        var batch = spec.Batch ?? new BatchSpec();
        var (chunk, chunks) = Layout(batch);
        var blocks = new List<PlannedBlock>();
        var links = new List<(string, string)>();
        var sourceType = Components.For(spec.Source.GetType()).Type;
        var sourceDetail = spec.Source is IDescribedSource d ? d.Describe(loaded) : DescribeSpec(spec.Source);
        foreach (var (feeder, feeds) in (spec.Source as IFedSource)?.Feeders() ?? [])
        {
            blocks.Add(feeder with { Detail = loaded.Secrets.Redact(feeder.Detail) });
            links.Add((feeder.Id, feeds));
        }
        blocks.Add(new PlannedBlock("source", $"source ({sourceType})", "Task → SendAsync", 1, null, loaded.Secrets.Redact(sourceDetail)));
        var previous = "source";
        for (var i = 0; i < (spec.Transforms?.Count ?? 0); i++)
        {
            var t = spec.Transforms![i];
            var id = $"t{i}";
            blocks.Add(new PlannedBlock(id, $"transforms[{i}] ({Components.For(t.GetType()).Type})", "TransformBlock", batch.Parallelism, chunks, $"chunks of {chunk} records; " + loaded.Secrets.Redact(DescribeSpec(t))));
            links.Add((previous, id));
            previous = id;
        }
        blocks.Add(new PlannedBlock("conform", "conform + fan-out", "ActionBlock", 1, chunks,
            $"chunks of {chunk} records; " + (spec.Columns is { } cols ? $"schema: {cols.Count} declared column(s)" : "schema inferred from the first batch")));
        links.Add((previous, "conform"));
        for (var s = 0; s < spec.Sinks.Count; s++)
        {
            var sink = spec.Sinks[s];
            var type = Components.For(sink.GetType()).Type;
            var batchId = $"s{s}batch";
            blocks.Add(new PlannedBlock(batchId, $"sinks[{s}] batch", "BatchBlock", 1, batch.Size, $"batches of {batch.Size}", batch.Size));
            links.Add(("conform", batchId));
            for (var w = 0; w < Math.Max(1, sink.Writers); w++)
            {
                var writerId = $"s{s}w{w}";
                blocks.Add(new PlannedBlock(writerId, $"sinks[{s}] writer {w} ({type})", "ActionBlock", 1, WriterCapacity,
                    loaded.Secrets.Redact($"{sink.Path} (mode {sink.Mode.ToString().ToLowerInvariant()}{(sink.PartitionBy is { Count: > 0 } p ? ", partitionBy " + string.Join(",", p) : "")})")));
                links.Add((batchId, writerId));
            }
        }
        return new MeshPlan(spec.Name, blocks, links);
    }

    private static string DescribeSpec(object spec)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(spec, spec.GetType(), SpecJson.Options);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return string.Join(", ", doc.RootElement.EnumerateObject().Select(p => $"{p.Name}: {Compact(p.Value)}"));
    }

    private static string Compact(System.Text.Json.JsonElement e) => e.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => e.GetString()!,
        _ => e.GetRawText().Replace("\n", " ", StringComparison.Ordinal).Replace("  ", "", StringComparison.Ordinal),
    };

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"Mesh of '{SpecName}':");
        foreach (var b in Blocks)
        {
            var cap = b.BoundedCapacity is { } c ? c.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
            sb.AppendLine($"  {b.Name,-34} {b.Kind,-18} MaxDegreeOfParallelism={b.MaxDegreeOfParallelism,-3} BoundedCapacity={cap,-6} {b.Detail}");
        }
        return sb.ToString();
    }

    public string ToMermaid()
    {
        var sb = new StringBuilder();
        sb.AppendLine("flowchart LR");
        foreach (var b in Blocks)
        {
            var cap = b.BoundedCapacity is { } c ? $", cap {c}" : "";
            var label = $"{b.Name}<br/>{b.Kind} (dop {b.MaxDegreeOfParallelism}{cap})".Replace("\"", "'", StringComparison.Ordinal);
            sb.AppendLine($"  {b.Id}[\"{label}\"]");
        }
        foreach (var (from, to) in Links)
        {
            sb.AppendLine($"  {from} --> {to}");
        }
        return sb.ToString();
    }
}

/// <summary>A source fed by stages of its own (an http source's parent requests), shown by `etl plan` before it, each
/// with the id of the block it feeds ("source" or another feeder).</summary>
public interface IFedSource
{
    IEnumerable<(PlannedBlock Block, string Feeds)> Feeders();
}

/// <summary>A source spec that can say what it will do (files, requests) for `etl plan`.</summary>
public interface IDescribedSource
{
    string Describe(LoadedSpec loaded);
}
