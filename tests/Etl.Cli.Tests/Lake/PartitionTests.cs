// End to end: partition values that try to leave the sink folder stay inside it and read back as they were.
using System.Text;
using System.Text.Json.Nodes;

namespace Etl.Cli.Tests.Lake;

public sealed class PartitionTests : IDisposable
{
    private static readonly string?[] Hostile = ["../escape", "a/b", "..", ".", "/abs", "\\win", "ctl\u0001\u001f", "", null, "k=v", "100%", "_hidden", ".dot", "été"];

    private readonly LakeWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private void WriteHostileInput()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < Hostile.Length; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(new JsonObject { ["id"] = i, ["country"] = Hostile[i] is { } h ? JsonValue.Create(h) : null }.ToJsonString());
        }
        _ws.Write("in/hostile.json", sb.Append(']').ToString());
        _ws.Save(new JsonObject
        {
            ["name"] = "hostile",
            ["source"] = new JsonObject { ["type"] = "json", ["path"] = "in/hostile.json" },
            ["schema"] = new JsonObject { ["id"] = "int64", ["country"] = "string" },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = "lake/hostile", ["partitionBy"] = new JsonArray("country") }),
        }, "hostile.json");
    }

    [Fact]
    public void PartitionBy_HostileValues_WritesNothingOutsideTheSinkFolder()
    {
        WriteHostileInput();

        var result = _ws.Run("run", "hostile.json");

        Assert.Equal(0, result.ExitCode);
        var outside = Directory.EnumerateFileSystemEntries(_ws.Root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_ws.Root, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("lake/hostile", StringComparison.Ordinal) && p != "lake" && !p.StartsWith("in", StringComparison.Ordinal) && p != "hostile.json");
        Assert.Empty(outside);
        var folders = Directory.GetDirectories(_ws.P("lake/hostile")).Select(Path.GetFileName).Where(n => !n!.StartsWith('_')).ToList();
        Assert.All(folders, f => Assert.StartsWith("country=", f, StringComparison.Ordinal));
        Assert.All(folders, f => Assert.DoesNotContain(f!, c => c < 0x20 || c == '/' || c == '\\'));
    }

    [Fact]
    public void PartitionBy_NullAndEmptyValues_GoToTheHiveDefaultPartition()
    {
        WriteHostileInput();

        Assert.Equal(0, _ws.Run("run", "hostile.json").ExitCode);

        Assert.Equal(2, LakeWorkspace.Count(_ws.ParquetOf("lake/hostile", _ws.VisibleFiles("lake/hostile").Where(f => f.StartsWith("country=__HIVE_DEFAULT_PARTITION__/", StringComparison.Ordinal)))));
    }

    [Fact]
    public void PartitionBy_HostileValues_EveryRowIsCommittedAndVisible()
    {
        WriteHostileInput();

        Assert.Equal(0, _ws.Run("run", "hostile.json").ExitCode);

        // "_hidden" and ".dot" land in country=_hidden and country=.dot, which readers do not skip.
        Assert.Equal(Hostile.Length, LakeWorkspace.Count(_ws.Visible("lake/hostile")));
        Assert.Equal(_ws.ManifestFiles("lake/hostile"), _ws.VisibleFiles("lake/hostile"));
    }

    [Fact]
    public void PartitionBy_HostileValues_ReadBackByAChainedPipelineAsWritten()
    {
        WriteHostileInput();
        _ws.Save(new JsonObject
        {
            ["name"] = "back",
            ["source"] = new JsonObject { ["type"] = "parquet", ["path"] = "lake/hostile" },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = "lake/back" }),
        }, "back.json");

        Assert.Equal(0, _ws.Run("run", "hostile.json", "back.json").ExitCode);

        var back = LakeWorkspace.Strings($"SELECT id, country FROM {_ws.Visible("lake/back")} ORDER BY id");
        var expected = Hostile.Select((h, i) => $"{i}|{(string.IsNullOrEmpty(h) ? "NULL" : h)}").ToList();
        Assert.Equal(expected, back);
    }
}
