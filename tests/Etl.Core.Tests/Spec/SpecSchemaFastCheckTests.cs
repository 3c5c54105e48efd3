// SpecSchemaFastCheck: sure only where JsonSchema.Net agrees, and sure of every example spec (so they skip JsonSchema.Net).
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Core.Tests.TestSupport;
using Etl.Spec;
using static Etl.Spec.SpecSchemaFastCheck;

namespace Etl.Core.Tests.Spec;

public sealed class SpecSchemaFastCheckTests
{
    [Fact]
    public void Check_EveryExamplePipeline_IsValid()
    {
        foreach (var spec in ExampleSpecs.Examples())
        {
            Assert.Equal((spec.Name, Verdict.Valid), (spec.Name, FastVerdict(spec.Json)));
        }
    }

    [Fact]
    public void Check_MutatedExamples_IsNeverSureWhereJsonSchemaNetDisagrees()
    {
        var sure = 0;
        foreach (var (name, json) in ExampleSpecs.Examples().SelectMany(e => ExampleSpecs.Mutations(e.Json).Select(m => (e.Name, m))))
        {
            using var doc = JsonDocument.Parse(json.ToJsonString());
            var fast = Check(doc.RootElement);
            if (fast == Verdict.Unsure)
            {
                continue;
            }
            sure++;
            var accepted = SpecSchemaCheck.Accepts(doc.RootElement);
            Assert.True(accepted == (fast == Verdict.Valid), $"{name}: fast check {fast}, JsonSchema.Net {(accepted ? "valid" : "invalid")}: {json.ToJsonString()}");
        }
        Assert.True(sure > 300, $"only {sure} mutations judged");
    }

    [Theory]
    [InlineData("""{ "name": "n", "source": { "type": "csv", "path": "a.csv" }, "sinks": [ { "type": "parquet", "path": "out" } ] }""", "Valid")]
    [InlineData("""{ "name": "n", "source": { "type": "csv", "path": "a.csv", "sampleRows": 1.0 }, "sinks": [ { "type": "parquet", "path": "out" } ] }""", "Unsure")]
    [InlineData("""{ "name": "n", "source": { "type": "csv", "path": "a.csv", "pathz": 1 }, "sinks": [ { "type": "parquet", "path": "out" } ] }""", "Invalid")]
    [InlineData("""{ "name": "n", "source": { "type": "csv", "path": "a.csv" }, "schema": { "id": "int99" }, "sinks": [ { "type": "parquet", "path": "out" } ] }""", "Invalid")]
    [InlineData("""{ "name": "n", "source": { "type": "csv", "path": "a.csv" }, "sinks": [] }""", "Invalid")]
    public void Check_Spec_GivesItsVerdict(string spec, string expected)
    {
        Assert.Equal(expected, FastVerdict((JsonObject)JsonNode.Parse(spec)!).ToString());
    }

    private static Verdict FastVerdict(JsonObject json)
    {
        using var doc = JsonDocument.Parse(json.ToJsonString());
        return Check(doc.RootElement);
    }
}
