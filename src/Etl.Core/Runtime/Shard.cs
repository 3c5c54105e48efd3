// Which share of a run's work one process does when a run is split into N shards, and the stable hash that decides it.
using System.IO.Hashing;
using System.Text;

namespace Etl.Runtime;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of the run <see cref="RunId"/>. A unit of work (a file, a Parquet row
/// group, the placeholder values of a request) belongs to the shard its key hashes to with XxHash64, so every process
/// decides the same without talking to the others, whatever order it lists the work in.
/// </summary>
public sealed record Shard
{
    /// <summary>Parquet files at least this large are split by row group; smaller ones go whole to one shard.</summary>
    public const long DefaultSplitParquetAboveBytes = 128L * 1024 * 1024;

    public Shard(int index, int count, string runId)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "a run has at least 1 shard");
        }
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"expected a shard index from 0 to {count - 1}");
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        (Index, Count, RunId) = (index, count, runId);
    }

    public int Index { get; }

    public int Count { get; }

    public string RunId { get; }

    /// <summary>Parquet files from this size on are shared out by row group (tests lower it).</summary>
    public long SplitParquetAboveBytes { get; init; } = DefaultSplitParquetAboveBytes;

    /// <summary>"shard 2 of 4", as messages say it.</summary>
    public override string ToString() => $"shard {Index} of {Count}";

    /// <summary>The shard a key belongs to: XxHash64 of its UTF-8 bytes modulo the shard count.</summary>
    public static int Of(string key, int count) => (int)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)) % (ulong)count);

    /// <summary>Whether this shard does the unit of work named <paramref name="key"/>.</summary>
    public bool Owns(string key) => Count == 1 || Of(key, Count) == Index;

    /// <summary>
    /// The key of a file found by <paramref name="pattern"/> (a path, folder or glob): its path below the pattern's fixed
    /// folder, so the split depends on the files' names, not on where the input happens to be mounted.
    /// </summary>
    public static string FileKey(string pattern, string path)
    {
        var glob = pattern.AsSpan().IndexOfAny("*?[{");
        var folder = glob >= 0 ? pattern[..(pattern.LastIndexOf('/', glob) + 1)]
            : string.Equals(pattern, path, StringComparison.Ordinal) ? pattern[..(pattern.LastIndexOf('/') + 1)]
            : pattern.TrimEnd('/') + "/";
        return folder.Length > 0 && path.StartsWith(folder, StringComparison.Ordinal) ? path[folder.Length..] : path;
    }

    /// <summary>The key of a request's placeholder values: names and values, each part length-prefixed so that no two
    /// different combinations give the same text.</summary>
    public static string RequestKey(IReadOnlyDictionary<string, string> values)
    {
        var key = new StringBuilder();
        foreach (var (name, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            key.Append(name.Length).Append(':').Append(name).Append('=').Append(value.Length).Append(':').Append(value).Append(';');
        }
        return key.ToString();
    }

    /// <summary>This shard's share of a requests-per-second limit meant for the whole run.</summary>
    public double ShareOf(double requestsPerSecond) => requestsPerSecond / Count;
}
