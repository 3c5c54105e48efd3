// What `etl plan --shards N [--shard I]` adds to the plan: each shard's share of the files or requests, and its rate.
using System.Text;
using Etl.Lake;
using Etl.Sources;
using Etl.Sources.Http;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Runtime;

public static class ShardPreview
{
    /// <summary>Most requests counted one by one for the preview; beyond, the share is estimated.</summary>
    public const long MaxCounted = 1_000_000;

    /// <summary>Lines describing the share of shard <paramref name="index"/> (every shard when null) of <paramref name="count"/>.</summary>
    public static async Task<string> DescribeAsync(LoadedSpec loaded, int count, int? index, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var i in index is { } only ? [only] : Enumerable.Range(0, count))
        {
            var shard = new Shard(i, count, "plan");
            text.Append($"Shard {i} of {count}: ").AppendLine(loaded.Spec.Source switch
            {
                HttpSourceSpec http => await DescribeHttpAsync(loaded, http, shard, cancellationToken),
                CsvSourceSpec csv => Files(await LakeFiles.ResolveAsync(csv.Path, CsvSource.Extensions, cancellationToken), csv.Path, shard, long.MaxValue),
                ParquetSourceSpec parquet => Files(await LakeFiles.ResolveAsync(parquet.Path, ParquetSource.Extensions, cancellationToken), parquet.Path, shard, shard.SplitParquetAboveBytes),
                JsonLinesSourceSpec jsonl => Files([.. (await FileGlob.ExpandAsync(jsonl.Path, JsonLinesSource.Extensions, cancellationToken)).Select(f => new LakeFile(f.Path, f.Length, []))], jsonl.Path, shard, long.MaxValue),
                JsonSourceSpec json => Files([.. (await FileGlob.ExpandAsync(json.Path, JsonSource.Extensions, cancellationToken)).Select(f => new LakeFile(f.Path, f.Length, []))], json.Path, shard, long.MaxValue),
                _ => "the source is read whole by every shard",
            });
        }
        return text.ToString();
    }

    private static string Files(IReadOnlyList<LakeFile> files, string pattern, Shard shard, long splitAbove)
    {
        var whole = files.Where(f => f.Length < splitAbove && shard.Owns(Shard.FileKey(pattern, f.Path))).ToList();
        var split = files.Where(f => f.Length >= splitAbove).ToList();
        var names = string.Join(", ", whole.Take(5).Select(f => f.Path[(f.Path.Replace('\\', '/').LastIndexOf('/') + 1)..])) + (whole.Count > 5 ? ", …" : "");
        return $"{whole.Count} of {files.Count} file(s), {Bytes(whole.Sum(f => f.Length))} of {Bytes(files.Sum(f => f.Length))}"
            + (whole.Count > 0 ? $" ({names})" : "")
            + (split.Count > 0 ? $"; and its row groups of {split.Count} Parquet file(s) of {Bytes(splitAbove)} or more, shared out one by one" : "");
    }

    private static string Bytes(long bytes) => bytes < 1_000_000 ? $"{bytes / 1e3:F1} kB" : $"{bytes / 1e6:F1} MB";

    private static async Task<string> DescribeHttpAsync(LoadedSpec loaded, HttpSourceSpec http, Shard shard, CancellationToken cancellationToken)
    {
        var rate = http.RequestsPerSecond is { } rps ? $"; requestsPerSecond {shard.ShareOf(rps):0.##} (the spec's {rps:0.##} / {shard.Count})" : "";
        var root = Root(http.Values, "$.source.values");
        if (root.Path is not null)
        {
            return $"requests split at the root of the request tree, {root.Path}: each root request goes to one shard with its pages and all "
                + "requests below it" + (root.Single ? $" (it has no values: the whole source runs in shard {Shard.Of(Shard.RequestKey(new Dictionary<string, string>()), shard.Count)})" : "") + rate;
        }
        if (http.Values is not { Count: > 0 } values || values.Values.Any(v => v.File is not null))
        {
            return (http.Values is not { Count: > 0 }
                ? $"one request without values: the whole source runs in shard {Shard.Of(Shard.RequestKey(new Dictionary<string, string>()), shard.Count)}"
                : "requests split by the hash of their values (read from files: counted at run time)") + rate;
        }
        await using var deadLetters = new DeadLetterWriter(Path.GetTempPath(), "plan", loaded.Secrets);
        var run = new RunContext { RunId = "plan", Spec = loaded, DeadLetters = deadLetters, Shard = shard };
        var plan = new RequestPlan(http, run);
        if (plan.Count is not { } total || total > MaxCounted)
        {
            return $"about {(plan.Count ?? 0) / shard.Count} of {plan.Count} requests (split by the hash of their values){rate}";
        }
        var mine = 0L;
        await foreach (var _ in plan.EnumerateAsync(cancellationToken))
        {
            mine++;
        }
        return $"{mine} of {total} requests (split by the hash of their values; each keeps its pages){rate}";
    }

    /// <summary>The JSON path of the root request when values are fed by requests, and whether it has no values of its own.</summary>
    private static (string? Path, bool Single) Root(Dictionary<string, ValueSetSpec>? values, string path)
    {
        if (values?.FirstOrDefault() is not { Value.Request: { } request } first)
        {
            return (null, false);
        }
        var here = $"{path}.{first.Key}.request";
        var deeper = Root(request.Values, here + ".values");
        return deeper.Path is not null ? deeper : (here, request.Values is not { Count: > 0 });
    }
}
