// SpecSchemaFastCheck: sure only where JsonSchema.Net agrees, and sure of every example spec (so they skip JsonSchema.Net).
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Spec;
using static Etl.Spec.SpecSchemaFastCheck;

namespace Etl.Core.Tests.Spec;

public sealed class SpecSchemaFastCheckTests
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    [Fact]
    public void Check_EveryExamplePipeline_IsValid()
    {
        foreach (var spec in Examples())
        {
            Assert.Equal((spec.Name, Verdict.Valid), (spec.Name, FastVerdict(spec.Json)));
        }
    }

    [Fact]
    public void Check_MutatedExamples_IsNeverSureWhereJsonSchemaNetDisagrees()
    {
        var sure = 0;
        foreach (var (name, json) in Examples().SelectMany(e => Mutations(e.Json).Select(m => (e.Name, m))))
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

    private static IEnumerable<(string Name, JsonObject Json)> Examples()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "Etl.sln")))
        {
            folder = folder.Parent!;
        }
        return Directory.GetFiles(Path.Combine(folder.FullName, "pipelines"), "*.json")
            .Where(f => !f.EndsWith("pipeline.schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), (JsonObject)JsonNode.Parse(File.ReadAllText(f), documentOptions: Lenient)!));
    }

    /// <summary>The spec with one change each: a value replaced by others of every kind, a field removed, one added.</summary>
    private static IEnumerable<JsonObject> Mutations(JsonObject spec)
    {
        JsonNode?[] replacements = [JsonValue.Create("int99"), JsonValue.Create(-1), JsonValue.Create(0), JsonValue.Create(1.5), JsonNode.Parse("1.0"),
            JsonValue.Create(true), null, new JsonArray(), new JsonObject(), JsonValue.Create("http")];
        var paths = new List<string>();
        Walk(spec, "", paths);
        // Every sixth place keeps the test quick and still reaches every component of the examples.
        foreach (var path in paths.Where((_, i) => i % 6 == 0))
        {
            foreach (var replacement in replacements)
            {
                yield return Edit(spec, path, (parent, key) => Set(parent, key, replacement?.DeepClone()));
            }
            yield return Edit(spec, path, Remove);
            yield return Edit(spec, path, (parent, _) => Add(parent));
        }
    }

    private static void Walk(JsonNode? node, string path, List<string> paths)
    {
        if (path.Length > 0)
        {
            paths.Add(path);
        }
        foreach (var (key, child) in node switch
        {
            JsonObject o => o.Select(kv => (kv.Key, kv.Value)),
            JsonArray a => a.Select((v, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), v)),
            _ => [],
        })
        {
            Walk(child, path + "/" + key, paths);
        }
    }

    private static JsonObject Edit(JsonObject spec, string path, Action<JsonNode, string> change)
    {
        var copy = (JsonObject)spec.DeepClone();
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode parent = copy;
        foreach (var part in parts[..^1])
        {
            parent = parent is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : parent[part]!;
        }
        change(parent, parts[^1]);
        return copy;
    }

    private static void Set(JsonNode parent, string key, JsonNode? value)
    {
        if (parent is JsonArray a)
        {
            a[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[key] = value;
        }
    }

    private static void Remove(JsonNode parent, string key)
    {
        if (parent is JsonArray a)
        {
            a.RemoveAt(int.Parse(key, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            ((JsonObject)parent).Remove(key);
        }
    }

    private static void Add(JsonNode parent)
    {
        if (parent is JsonObject o)
        {
            o["unknownField"] = 1;
        }
        else
        {
            ((JsonArray)parent).Add(JsonValue.Create("x"));
        }
    }
}
