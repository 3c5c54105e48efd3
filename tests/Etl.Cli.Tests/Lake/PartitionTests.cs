// End to end: partition values that try to leave the sink folder stay inside it and read back as they were.
using System.Text;
using System.Text.Json.Nodes;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed class PartitionTests : IDisposable
{
    private static readonly string?[] Hostile = ["../escape", "a/b", "..", ".", "/abs", "\\win", "ctl\u0001\u001f", "", null, "k=v", "100%", "_hidden", ".dot", "été"];

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void WriteHostileInput()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < Hostile.Length; i++)
        {
            sb.Append(i == 0 ? "" : ",").Append(new JsonObject { ["id"] = i, ["country"] = Hostile[i] is { } h ? JsonValue.Create(h) : null }.ToJsonString());
        }
        _folder.Write("in/hostile.json", sb.Append(']').ToString());
        _folder.Save(new JsonObject
        {
            ["name"] = "hostile",
            ["source"] = new JsonObject { ["type"] = "json", ["path"] = "in/hostile.json" },
            ["schema"] = new JsonObject { ["id"] = "int64", ["country"] = "string" },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = "lake/hostile", ["partitionBy"] = new JsonArray("country") }),
        }, "hostile.json");
    }

    [Fact]
    public async Task PartitionBy_HostileValues_WritesNothingOutsideTheSinkFolder()
    {
        WriteHostileInput();

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "hostile.json");

        Assert.Equal(0, result.ExitCode);
        var outside = Directory.EnumerateFileSystemEntries(_folder.Root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_folder.Root, p).Replace('\\', '/'))
            .Where(p => !p.StartsWith("lake/hostile", StringComparison.Ordinal) && p != "lake" && !p.StartsWith("in", StringComparison.Ordinal) && p != "hostile.json");
        Assert.Empty(outside);
        var folders = Directory.GetDirectories(_folder.PathOf("lake/hostile")).Select(Path.GetFileName).Where(n => !n!.StartsWith('_')).ToList();
        Assert.All(folders, f => Assert.StartsWith("country=", f, StringComparison.Ordinal));
        Assert.All(folders, f => Assert.DoesNotContain(f!, c => c < 0x20 || c == '/' || c == '\\'));
    }

    [Fact]
    public async Task PartitionBy_NullAndEmptyValues_GoToTheHiveDefaultPartition()
    {
        WriteHostileInput();

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "hostile.json")).ExitCode);

        Assert.Equal(2, DuckDb.Count(_folder.ParquetOf("lake/hostile", _folder.SinkFiles("lake/hostile").Where(f => f.StartsWith("country=__HIVE_DEFAULT_PARTITION__/", StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task PartitionBy_HostileValues_EveryRowIsCommittedAndVisible()
    {
        WriteHostileInput();

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "hostile.json")).ExitCode);

        // "_hidden" and ".dot" land in country=_hidden and country=.dot, which readers do not skip.
        Assert.Equal(Hostile.Length, DuckDb.Count(_folder.Visible("lake/hostile")));
        Assert.Equal(_folder.ManifestFiles("lake/hostile"), _folder.SinkFiles("lake/hostile"));
    }

    [Fact]
    public async Task PartitionBy_HostileValues_ReadBackByAChainedPipelineAsWritten()
    {
        WriteHostileInput();
        _folder.Save(new JsonObject
        {
            ["name"] = "back",
            ["source"] = new JsonObject { ["type"] = "parquet", ["path"] = "lake/hostile" },
            ["sinks"] = new JsonArray(new JsonObject { ["type"] = "parquet", ["path"] = "lake/back" }),
        }, "back.json");

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "hostile.json", "back.json")).ExitCode);

        var back = DuckDb.Strings($"SELECT id, country FROM {_folder.Visible("lake/back")} ORDER BY id");
        var expected = Hostile.Select((h, i) => $"{i}|{(string.IsNullOrEmpty(h) ? "NULL" : h)}").ToList();
        Assert.Equal(expected, back);
    }
}
