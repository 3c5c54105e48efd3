// Every example spec in pipelines/ runs as shipped (through the real etl executable) on a copy of the sample data.
using System.Text.Json.Nodes;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class ExamplePipelinesTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Each runnable example and the examples whose output it reads, run first in the same invocation.</summary>
    private static readonly Dictionary<string, string[]> Runnable = new(StringComparer.Ordinal)
    {
        ["orders-csv-to-parquet.json"] = [],
        ["order-items-jsonl.json"] = [],
        ["customers-json.json"] = [],
        ["orders-parquet-to-csv.json"] = ["orders-csv-to-parquet.json"],
        ["orders-by-country.json"] = ["orders-csv-to-parquet.json"],
    };

    /// <summary>Examples that need a server (an http source) and are therefore not run here, each with the reason.</summary>
    private static readonly Dictionary<string, string> NeedsServer = new(StringComparer.Ordinal)
    {
        ["orders-http.json"] = "needs the sample API; tests/Etl.Core.Tests/Sources/Http/HttpExamplePipelineTests.cs runs it against one started on port 0",
        ["customer-orders-http.json"] = "needs the sample API; tests/Etl.Core.Tests/Sources/Http/HttpExamplePipelineTests.cs runs it against one started on port 0",
    };

    public static TheoryData<string> RunnableSpecs => [.. Runnable.Keys.Order(StringComparer.Ordinal)];

    private static IEnumerable<string> ShippedSpecs() =>
        Directory.GetFiles(Path.Combine(Repo.Root, "pipelines"), "*.json")
            .Select(Path.GetFileName)
            .Where(f => f != "pipeline.schema.json")
            .Order(StringComparer.Ordinal)!;

    [Fact]
    public void ExamplePipelines_EveryShippedSpec_IsRunOrListedAsNeedingAServer()
    {
        Assert.Equal(ShippedSpecs(), Runnable.Keys.Concat(NeedsServer.Keys).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ExamplePipelines_ListedAsNeedingAServer_HaveAnHttpSource()
    {
        foreach (var file in NeedsServer.Keys)
        {
            Assert.Equal((file, "http"), (file, (string?)Spec(file)["source"]!["type"]));
        }
    }

    [Theory]
    [MemberData(nameof(RunnableSpecs))]
    public async Task ExamplePipeline_OnTheShippedSampleData_RunsAndWritesWhatItCounts(string file)
    {
        _folder.CopyFromRepo("pipelines");
        _folder.CopyFromRepo(Path.Combine("data", "samples"));
        string[] specs = [.. Runnable[file].Select(p => Path.Combine("pipelines", p)), Path.Combine("pipelines", file)];

        var result = await EtlCli.RunProcessAsync(_folder.Root, ["run", .. specs]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(specs.Length, result.Summaries.Count);
        Assert.All(result.Summaries, s => Assert.Equal("succeeded", s.Status));
        var summary = result.Summaries[^1];
        Assert.True(summary.Written > 0, result.ToString());
        foreach (var sink in Spec(file)["sinks"]!.AsArray())
        {
            var folder = _folder.PathOf(Expand(file, (string)sink!["path"]!));
            var reader = (string?)sink["type"] == "csv"
                ? $"read_csv({DuckDb.Quote(Path.Combine(folder, "**", "*.csv*"))}, header = true)"
                : DuckDb.Parquet(folder);
            Assert.Equal($"{summary.Written}", DuckDb.Scalar($"SELECT count(*) FROM {reader}"));
        }
    }

    private static JsonObject Spec(string file) =>
        JsonNode.Parse(File.ReadAllText(Repo.Pipeline(file)))!.AsObject();

    // Sink paths use the spec's default parameters, as a run without --param does.
    private static string Expand(string file, string text)
    {
        foreach (var (name, value) in Spec(file)["parameters"]?.AsObject() ?? [])
        {
            text = text.Replace($"${{{name}}}", (string)value!, StringComparison.Ordinal);
        }
        return text;
    }
}
