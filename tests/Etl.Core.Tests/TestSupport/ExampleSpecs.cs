// The example specs of pipelines/ and the golden corpus, and one-change mutations of a spec: inputs for tests that
// compare two readings of the same spec.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Etl.Core.Tests.TestSupport;

public static class ExampleSpecs
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>The specs of pipelines/.</summary>
    public static IEnumerable<(string Name, JsonObject Json)> Examples() => Read(Path.Combine(RepositoryRoot(), "pipelines"));

    /// <summary>The specs of the golden corpus (tests/Etl.Cli.Tests/Golden/Corpus).</summary>
    public static IEnumerable<(string Name, JsonObject Json)> GoldenCorpus() =>
        Read(Path.Combine(RepositoryRoot(), "tests", "Etl.Cli.Tests", "Golden", "Corpus"));

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "Etl.sln")))
        {
            folder = folder.Parent!;
        }
        return folder.FullName;
    }

    private static IEnumerable<(string Name, JsonObject Json)> Read(string folder) =>
        Directory.GetFiles(folder, "*.json")
            .Where(f => !f.EndsWith("pipeline.schema.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), (JsonObject)JsonNode.Parse(File.ReadAllText(f), documentOptions: Lenient)!));

    /// <summary>The spec with one change each: a value replaced by others of every kind, a field removed, one added.</summary>
    public static IEnumerable<JsonObject> Mutations(JsonObject spec)
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
            JsonArray a => a.Select((v, i) => (i.ToString(CultureInfo.InvariantCulture), v)),
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
            parent = parent is JsonArray a ? a[int.Parse(part, CultureInfo.InvariantCulture)]! : parent[part]!;
        }
        change(parent, parts[^1]);
        return copy;
    }

    private static void Set(JsonNode parent, string key, JsonNode? value)
    {
        if (parent is JsonArray a)
        {
            a[int.Parse(key, CultureInfo.InvariantCulture)] = value;
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
            a.RemoveAt(int.Parse(key, CultureInfo.InvariantCulture));
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
