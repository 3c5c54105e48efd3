// SummaryJson: the summary written from build-time metadata is the one reflection over the records writes.
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Etl.Cli.Commands;
using Etl.Lake;
using Etl.Runtime;

namespace Etl.Cli.Tests.Commands;

public sealed class SummaryJsonTests
{
    [Fact]
    public void Options_WriteWhatReflectionWrites()
    {
        var stage = new StageCounters("source", "Task");
        stage.CountIn(3);
        stage.CountOut(2);
        var result = new RunResult
        {
            RunId = "r1",
            SpecName = "orders",
            Shard = "shard 1 of 2",
            SpecPath = "/specs/orders.json",
            Status = RunStatus.TooManyFailures,
            Error = "too many failed records",
            Note = "a note",
            StartedAt = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero),
            EndedAt = new DateTimeOffset(2026, 12, 3, 10, 0, 1, 500, TimeSpan.Zero),
            Read = 10,
            Filtered = 1,
            Failed = 2,
            Added = 3,
            Written = 10,
            Requests = 4,
            Retries = 1,
            FailedRequests = 1,
            Pages = 2,
            ParentRequests = 1,
            FailedParentRequests = 0,
            ParentRecordsWithoutKey = 5,
            Sinks = [new SinkResult("parquet", "/lake/orders", 10, [new StagedFile("/stage/a", "a.parquet", "country=FR", 10, 1234, [new ManifestColumn("id", "int64")])])],
            Stages = [stage],
            DeadLetterFile = "/lake/_errors/x.jsonl",
            SchemaChanges = ["+coupon (string) at in.jsonl:20001"],
        };
        var reflection = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
            IgnoreReadOnlyProperties = false,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };

        Assert.Equal(JsonSerializer.Serialize(new List<RunResult> { result }, reflection), JsonSerializer.Serialize(new List<RunResult> { result }, SummaryJson.Options));
        Assert.Equal(JsonSerializer.Serialize(new[] { result }, reflection), JsonSerializer.Serialize(new[] { result }, SummaryJson.Options));
    }
}
