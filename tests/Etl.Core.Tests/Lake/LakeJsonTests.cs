// The lake's JSON files, written and read from build-time metadata, are what reflection over the records writes and reads.
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Etl.Lake;

namespace Etl.Core.Tests.Lake;

public sealed class LakeJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.FromHours(1));

    private static readonly IncrementalState State = new("updated_at", "2026-12-02T00:00:00Z", "r1", At);

    private static readonly RunManifest Manifest = new()
    {
        RunId = "r1",
        Spec = "/specs/orders.json",
        SpecSha256 = "ab12",
        Parameters = new Dictionary<string, string> { ["date"] = "2026-12-02", ["note"] = "<é & \"quoted\">" },
        StartedAt = At,
        EndedAt = At.AddSeconds(1.5),
        EtlVersion = "0.1.0",
        Mode = "overwrite",
        Counts = new ManifestCounts(10, 1, 2, 3, 10, 4, 1, 1, 2),
        Stages = [new ManifestStage("source", "Task", 10, 10)],
        Schema = [new ManifestColumn("id", "int64 not null")],
        SchemaChanges = ["+coupon (string) at in.jsonl:20001"],
        PartitionBy = ["country"],
        Files = [new ManifestFile("country=FR/part-0.parquet", "country=FR", 10, 1234, [new ManifestColumn("id", "int64")]), new ManifestFile("a.parquet", null, 0, 1)],
        Version = 7,
        State = State,
    };

    [Fact]
    public void RunManifestOptions_WriteAndReadWhatReflectionDoes()
    {
        var reflection = Reflection(RunManifest.JsonOptions);
        var entry = new LogEntry
        {
            Version = 7,
            RunId = "r1",
            CommittedAt = At,
            Mode = "append",
            BaseVersion = 6,
            Add = Manifest.Files,
            Remove = ["old.parquet"],
            ReplacedPartitions = null,
            Manifest = Manifest with { Version = null, State = null },
            State = State,
        };
        var shard = new ShardManifest
        {
            RunId = "r1",
            Shard = 1,
            Shards = 2,
            Attempt = "a1",
            Status = "succeeded",
            Spec = "/specs/orders.json",
            SpecFingerprint = "f",
            StartedAt = At,
            EndedAt = At,
            EtlVersion = "0.1.0",
            Counts = Manifest.Counts,
            RequestCounts = new ShardRequestCounts(1, 0, 2),
            Stages = Manifest.Stages,
            Schema = Manifest.Schema,
            Sinks = [new ShardSinkFiles("/lake/orders", 6, [new ShardFile("/stage/a", "a.parquet", null, 10, 1234)])],
        };

        AssertSame(Manifest, RunManifest.JsonOptions, reflection);
        AssertSame(entry, RunManifest.JsonOptions, reflection);
        AssertSame(shard, RunManifest.JsonOptions, reflection);
        AssertSame(State, IncrementalState.JsonOptions, Reflection(IncrementalState.JsonOptions));
    }

    private static JsonSerializerOptions Reflection(JsonSerializerOptions options) => new(options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static void AssertSame<T>(T value, JsonSerializerOptions generated, JsonSerializerOptions reflection)
    {
        var written = JsonSerializer.Serialize(value, generated);
        Assert.Equal(JsonSerializer.Serialize(value, reflection), written);
        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize<T>(written, reflection), reflection), JsonSerializer.Serialize(JsonSerializer.Deserialize<T>(written, generated), generated));
    }
}
