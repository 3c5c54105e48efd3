// Where the files of a sharded run wait for `etl commit`: below each sink folder, in _shards/<runId>/, one folder per attempt.
using System.Globalization;
using System.Text;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>
/// <c>sink/_shards/&lt;runId&gt;/shard-0002/&lt;attempt&gt;/…</c> holds what attempt of shard 2 wrote to that sink;
/// <c>first-sink/_shards/&lt;runId&gt;/shard-0002.json</c> is its manifest, written last; <c>_committed.json</c> there
/// says the run is committed to that sink. The '_' keeps all of it out of readers' sight.
/// </summary>
public static class ShardLayout
{
    public const string FolderName = "_shards";
    public const string CommittedName = "_committed.json";

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

    public static string RunFolder(string sinkFolder, string runId)
    {
        var storage = StorageRegistry.For(sinkFolder);
        return storage.Combine(storage.Combine(sinkFolder, FolderName), runId);
    }

    public static string ShardName(int index) => "shard-" + index.ToString("D4", CultureInfo.InvariantCulture);

    public static string ShardFolder(string sinkFolder, string runId, int index) =>
        StorageRegistry.For(sinkFolder).Combine(RunFolder(sinkFolder, runId), ShardName(index));

    public static string AttemptFolder(string sinkFolder, string runId, int index, string attempt) =>
        StorageRegistry.For(sinkFolder).Combine(ShardFolder(sinkFolder, runId, index), attempt);

    public static string ManifestPath(string firstSinkFolder, string runId, int index) =>
        StorageRegistry.For(firstSinkFolder).Combine(RunFolder(firstSinkFolder, runId), ShardName(index) + ".json");

    public static string CommittedPath(string sinkFolder, string runId) =>
        StorageRegistry.For(sinkFolder).Combine(RunFolder(sinkFolder, runId), CommittedName);

    /// <summary><see cref="CommittedPath"/> relative to the sink folder, as a commit journal writes it.</summary>
    public static string CommittedRelative(string runId) => $"{FolderName}/{runId}/{CommittedName}";
}
