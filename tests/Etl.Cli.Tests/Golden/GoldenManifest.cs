// The part of a sink's _manifest.json (and _state.json) that a user relies on, without times, hashes, sizes and run ids.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Etl.Cli.Tests.Golden;

public static class GoldenManifest
{
    private static readonly JsonSerializerOptions Plain = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Left out: when the run ran (and when its state was committed), the spec file's hash and the Etl version (they differ without any change in
    /// behaviour), each file's bytes (encodings may change, values may not), each stage's block kind (how the mesh is
    /// built, not what it does).</summary>
    private static readonly string[] Volatile = ["startedAt", "endedAt", "specSha256", "etlVersion"];

    public static void Render(StringBuilder text, GoldenFiles files, string sink, bool unordered)
    {
        var canon = files.Canon;
        GoldenSnapshot.Section(text, $"manifest {files.Label(Path.Combine(sink, "_manifest.json"))}");
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(sink, "_manifest.json")))!.AsObject();
        foreach (var name in Volatile)
        {
            manifest.Remove(name);
        }
        foreach (var stage in manifest["stages"]?.AsArray() ?? [])
        {
            stage!.AsObject().Remove("kind");
        }
        (manifest["state"] as JsonObject)?.Remove("committedAt");
        if (manifest["files"] is JsonArray list)
        {
            manifest["files"] = unordered ? PerPartition(list) : PerFile(list, files, sink);
        }
        Compact(text, canon, manifest);
        var state = Path.Combine(sink, "_state.json");
        if (File.Exists(state))
        {
            GoldenSnapshot.Section(text, $"state {files.Label(state)}");
            var json = JsonNode.Parse(File.ReadAllText(state))!.AsObject();
            json.Remove("committedAt");
            Compact(text, canon, json);
        }
    }

    /// <summary>One line per property, and one per element of a list property.</summary>
    private static void Compact(StringBuilder text, GoldenCanon canon, JsonObject json)
    {
        foreach (var (name, value) in json)
        {
            if (value is JsonArray list)
            {
                text.Append(name).Append(":\n");
                foreach (var item in list)
                {
                    text.Append("  - ").Append(canon.Text(item?.ToJsonString(Plain) ?? "null")).Append('\n');
                }
                continue;
            }
            text.Append(name).Append(": ").Append(canon.Text(value?.ToJsonString(Plain) ?? "null")).Append('\n');
        }
    }

    private static JsonArray PerFile(JsonArray list, GoldenFiles files, string sink)
    {
        var entries = list.Select(f => f!.AsObject()).Select(f =>
        {
            var copy = f.DeepClone().AsObject();
            copy.Remove("bytes");
            copy["path"] = files.Label(Path.GetFullPath(Path.Combine(sink, (string)f["path"]!)));
            return copy;
        });
        return [.. entries.OrderBy(f => (string)f["path"]!, StringComparer.Ordinal)];
    }

    /// <summary>Rows per partition (and the schemas of its files) when rows may land in any file of their folder.</summary>
    private static JsonArray PerPartition(JsonArray list)
    {
        var groups = list.Select(f => f!.AsObject()).GroupBy(f => (string?)f["partition"] ?? "").OrderBy(g => g.Key, StringComparer.Ordinal);
        return [.. groups.Select(g => (JsonNode)new JsonObject
        {
            ["partition"] = g.Key,
            ["rows"] = g.Sum(f => (long)f["rows"]!),
            ["schemas"] = new JsonArray([.. g.Select(f => Columns(f["schema"])).Distinct().Order(StringComparer.Ordinal).Select(s => (JsonNode)s)]),
        })];
    }

    private static string Columns(JsonNode? schema) =>
        string.Join(", ", schema?.AsArray().Select(c => $"{(string?)c!["name"]} {(string?)c["type"]}") ?? []);
}
