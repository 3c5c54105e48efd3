// The blocks a spec's mesh is made of, with their options: what `etl plan` prints and what the runner builds.
using System.Text;
using System.Threading.Tasks.Dataflow;
using Etl.Sources;
using Etl.Spec;

namespace Etl.Runtime;

public sealed record PlannedBlock(string Id, string Name, string Kind, int MaxDegreeOfParallelism, int? BoundedCapacity, string Detail, int? BatchSize = null)
{
    /// <summary>The options the runtime builds this block with: the same numbers `etl plan` prints.</summary>
    public ExecutionDataflowBlockOptions ExecutionOptions(CancellationToken cancellationToken, bool ensureOrdered = true) => new()
    {
        MaxDegreeOfParallelism = MaxDegreeOfParallelism,
        BoundedCapacity = BoundedCapacity ?? DataflowBlockOptions.Unbounded,
        EnsureOrdered = ensureOrdered,
        CancellationToken = cancellationToken,
    };
}

public sealed record MeshPlan(string SpecName, int ChunkSize, IReadOnlyList<PlannedBlock> Blocks, IReadOnlyList<(string From, string To)> Links)
{
    /// <summary>Writers take one batch at a time: a second waiting batch per writer is enough to keep it busy.</summary>
    public const int WriterCapacity = 1;

    /// <summary>Records travel between blocks in batches of up to this many rows: one dataflow message per batch.</summary>
    public const int MaxChunkSize = 4096;

    /// <summary>Chunk size and per-block capacity (in chunks) so that a block holds at most boundedCapacity records.</summary>
    public static (int ChunkSize, int ChunkCapacity) Layout(BatchSpec batch)
    {
        var chunk = Math.Clamp(batch.BoundedCapacity, 1, MaxChunkSize);
        return (chunk, Math.Max(1, batch.BoundedCapacity / chunk));
    }

    public PlannedBlock Block(string id) => Blocks.Single(b => b.Id == id);

    public PlannedBlock Transform(int index) => Block($"t{index}");

    public PlannedBlock Conform => Block("conform");

    public PlannedBlock SinkBatch(int sink) => Block($"s{sink}batch");

    public IEnumerable<PlannedBlock> Writers(int sink) => Blocks.Where(b => b.Id.StartsWith($"s{sink}w", StringComparison.Ordinal));

    /// <summary>The plan with what the source will read (files and sizes, requests) for `etl plan`.</summary>
    public static async Task<MeshPlan> DescribeAsync(LoadedSpec loaded, CancellationToken cancellationToken)
    {
        var detail = loaded.Spec.Source is IDescribedSource d ? await d.DescribeAsync(loaded, cancellationToken) : DescribeSpec(loaded.Spec.Source, loaded);
        return For(loaded, detail);
    }

    /// <summary>The blocks and links of the spec's mesh; <paramref name="sourceDetail"/> only labels the source.</summary>
    public static MeshPlan For(LoadedSpec loaded, string? sourceDetail = null)
    {
        var spec = loaded.Spec;
        var batch = spec.Batch ?? new BatchSpec();
        var (chunk, chunks) = Layout(batch);
        var blocks = new List<PlannedBlock>();
        var links = new List<(string, string)>();
        var sourceType = Components.For(spec.Source.GetType()).Type;
        foreach (var (feeder, feeds) in (spec.Source as IFedSource)?.Feeders() ?? [])
        {
            blocks.Add(feeder with { Detail = loaded.Secrets.Redact(feeder.Detail) });
            links.Add((feeder.Id, feeds));
        }
        blocks.Add(new PlannedBlock("source", $"source ({sourceType})", "Task → SendAsync", 1, null, loaded.Secrets.Redact(sourceDetail ?? DescribeSpec(spec.Source, loaded))));
        var previous = "source";
        for (var i = 0; i < (spec.Transforms?.Count ?? 0); i++)
        {
            var t = spec.Transforms![i];
            var id = $"t{i}";
            blocks.Add(new PlannedBlock(id, $"transforms[{i}] ({Components.For(t.GetType()).Type})", "TransformBlock", batch.Parallelism, chunks, $"batches of up to {chunk} rows; " + loaded.Secrets.Redact(DescribeSpec(t, loaded))));
            links.Add((previous, id));
            previous = id;
        }
        blocks.Add(new PlannedBlock("conform", "conform + fan-out", "ActionBlock", 1, chunks,
            $"batches of up to {chunk} rows; " + (spec.Columns is { } cols ? $"schema: {cols.Count} declared column(s)" : "schema inferred from the first batch")));
        links.Add((previous, "conform"));
        for (var s = 0; s < spec.Sinks.Count; s++)
        {
            AddSink(loaded, s, batch, blocks, links);
        }
        return new MeshPlan(spec.Name, chunk, blocks, links);
    }

    private static void AddSink(LoadedSpec loaded, int s, BatchSpec batch, List<PlannedBlock> blocks, List<(string, string)> links)
    {
        var sink = loaded.Spec.Sinks[s];
        var type = Components.For(sink.GetType()).Type;
        var batchId = $"s{s}batch";
        var (_, chunks) = Layout(batch);
        blocks.Add(new PlannedBlock(batchId, $"sinks[{s}] input", "BufferBlock", 1, chunks, $"row groups of {batch.Size} rows made by the writers", batch.Size));
        links.Add(("conform", batchId));
        for (var w = 0; w < Math.Max(1, sink.Writers); w++)
        {
            var writerId = $"s{s}w{w}";
            blocks.Add(new PlannedBlock(writerId, $"sinks[{s}] writer {w} ({type})", "ActionBlock", 1, WriterCapacity,
                loaded.Secrets.Redact($"{sink.Path} (mode {sink.Mode.ToString().ToLowerInvariant()}{(sink.PartitionBy is { Count: > 0 } p ? ", partitionBy " + string.Join(",", p) : "")})")));
            links.Add((batchId, writerId));
        }
    }

    /// <summary>The component's settings as one line; through the options the spec was read with, which know its
    /// components already (every run labels its blocks).</summary>
    private static string DescribeSpec(object spec, LoadedSpec loaded)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(spec, spec.GetType(), loaded.SerializerOptions);
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
