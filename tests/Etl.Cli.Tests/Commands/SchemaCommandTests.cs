// etl schema: the shipped JSON Schema is what the command prints, and every example spec passes it.
using System.Text.Json;
using Json.Schema;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Commands;

public class SchemaCommandTests
{
    [Fact]
    public async Task Schema_PrintsExactlyTheShippedSchemaFile()
    {
        var result = await EtlCli.RunAsync("schema");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Repo.Pipeline("pipeline.schema.json")), result.Stdout);
    }

    public static TheoryData<string> ExampleSpecs()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(Repo.Root, "pipelines"), "*.json").Order())
        {
            if (!f.EndsWith("pipeline.schema.json", StringComparison.Ordinal))
            {
                data.Add(Path.GetFileName(f));
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleSpecs))]
    public void ExampleSpec_ValidatesAgainstTheShippedSchema(string file)
    {
        // A registry of its own: the engine has registered its built-in copy under the same $id.
        var schema = JsonSchema.FromText(File.ReadAllText(Repo.Pipeline("pipeline.schema.json")), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var spec = JsonDocument.Parse(File.ReadAllText(Repo.Pipeline(file)));

        var result = schema.Evaluate(spec.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, file);
    }

    [Theory]
    [MemberData(nameof(ExampleSpecs))]
    public void ExampleSpec_NamesTheSchemaForEditors(string file)
    {
        using var spec = JsonDocument.Parse(File.ReadAllText(Repo.Pipeline(file)));

        Assert.Equal("./pipeline.schema.json", spec.RootElement.GetProperty("$schema").GetString());
    }
}
