// Where a sharded run keeps what waits for `etl commit`: each shard's manifest in every sink's _runs/<runId>/.
using System.Globalization;
using System.Text;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>
/// <c>sink/_runs/&lt;runId&gt;/shard-0002.json</c> is the manifest of shard 2, written into every sink once its work is
/// done; <c>shard-0002.lease</c> beside it is its lease while it runs. A manifest in the run folder keeps the run alive
/// for other runs' cleaning (see <see cref="RunLease"/>) until the commit removes the folder. The shards' files wait
/// where the lake puts any run's files (<see cref="LakeCommitter.StagingFolder"/>), named <c>part-&lt;runId&gt;-s2-…</c>.
/// </summary>
public static class ShardLayout
{
    /// <summary>A run id as it appears in paths: letters, digits, '.', '_' and '-' kept, anything else (the ':' and '+'
    /// of an Airflow run id) becomes '-'. Every shard and the commit apply the same rule, so they agree.</summary>
    public static string SafeRunId(string runId)
    {
        var safe = new StringBuilder(runId.Length);
        foreach (var c in runId.Trim())
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        }
        return safe.ToString();
    }

    /// <summary>"shard-0002": the shard's lease name and the name of its manifest.</summary>
    public static string ShardName(int index) => "shard-" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The start of every file name shard <paramref name="index"/> writes, so a re-run or a failure removes only its own.</summary>
    public static string FilePrefix(string runId, int index) => $"part-{runId}-s{index}-";

    public static string ManifestPath(string sinkFolder, string runId, int index)
    {
        var storage = StorageRegistry.For(sinkFolder);
        return storage.Combine(RunLease.FolderOf(storage, sinkFolder, runId), ShardName(index) + ".json");
    }
}
