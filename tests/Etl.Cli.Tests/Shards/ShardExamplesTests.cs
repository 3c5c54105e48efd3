// The scheduler examples under docs/sharded/ parse, and say what the README promises of them.
using System.Diagnostics;
using Etl.Cli.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Etl.Cli.Tests.Shards;

public sealed class ShardExamplesTests
{
    private static List<YamlMappingNode> Documents(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Repo.Root, relative));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlNode At(YamlNode node, params string[] path) =>
        path.Aggregate(node, (n, key) => int.TryParse(key, out var i) ? ((YamlSequenceNode)n).Children[i] : ((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string Text(YamlNode node, params string[] path) => ((YamlScalarNode)At(node, path)).Value!;

    [Fact]
    public void KubernetesExample_IsAnIndexedJobThatFailsAnIndexOnExitCode2_AndACommitJob()
    {
        var docs = Documents("docs/sharded/orders-http-k8s.yaml");
        var jobs = docs.Where(d => Text(d, "kind") == "Job").ToList();
        var shards = jobs.Single(j => Text(j, "metadata", "name") == "orders-http-shards");

        Assert.Equal("Indexed", Text(shards, "spec", "completionMode"));
        Assert.Equal("4", Text(shards, "spec", "completions"));
        Assert.Equal("Failed", Text(shards, "spec", "podReplacementPolicy"));
        Assert.NotNull(At(shards, "spec", "backoffLimitPerIndex"));
        var rule = At(shards, "spec", "podFailurePolicy", "rules", "0");
        Assert.Equal("FailIndex", Text(rule, "action"));
        Assert.Contains("2", ((YamlSequenceNode)At(rule, "onExitCodes", "values")).Children.Select(c => ((YamlScalarNode)c).Value));
        Assert.Contains("--shards", ((YamlSequenceNode)At(shards, "spec", "template", "spec", "containers", "0", "args")).Children.Select(c => ((YamlScalarNode)c).Value));
        var commit = jobs.Single(j => Text(j, "metadata", "name") == "orders-http-commit");
        Assert.Contains("etl commit", Text(commit, "spec", "template", "spec", "containers", "0", "args", "0"), StringComparison.Ordinal);
    }

    [Fact]
    public void ArgoExample_RunsShardsWithSequenceThenCommits()
    {
        var workflow = Assert.Single(Documents("docs/sharded/orders-http-argo.yaml"));

        Assert.Equal("Workflow", Text(workflow, "kind"));
        Assert.Equal("{{workflow.parameters.shards}}", Text(workflow, "spec", "templates", "0", "steps", "0", "0", "withSequence", "count"));
        Assert.Equal("commit", Text(workflow, "spec", "templates", "0", "steps", "1", "0", "name"));
    }

    [Fact]
    public async Task AirflowExample_IsValidPythonThatMapsShardsAndCommits()
    {
        var dag = Path.Combine(Repo.Root, "docs/sharded/orders_http_airflow.py");
        var info = new ProcessStartInfo("python3") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-c", "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])", dag })
        {
            info.ArgumentList.Add(arg);
        }
        using var python = Process.Start(info)!;
        var errors = await python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync();

        Assert.True(python.ExitCode == 0, errors);
        var text = await File.ReadAllTextAsync(dag);
        Assert.Contains(".expand(", text, StringComparison.Ordinal);
        Assert.Contains("etl commit", text, StringComparison.Ordinal);
    }
}
