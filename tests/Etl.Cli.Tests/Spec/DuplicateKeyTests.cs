// A key written twice in a spec is refused with exit 2, naming the key and the line of its second occurrence.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Spec;

public sealed class DuplicateKeyTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string WriteSpec() => _folder.Write("dup.json", """
        {
          "name": "dup",
          "source": { "type": "jsonl", "path": "in.jsonl" },
          "batch": { "size": 10 },
          "batch": { "size": 20 },
          "sinks": [ { "type": "parquet", "path": "lake" } ]
        }
        """);

    [Fact]
    public async Task Validate_DuplicateTopLevelKey_ExitsTwoNamingTheKeyAndItsLine()
    {
        var spec = WriteSpec();

        var result = await EtlCli.RunAsync("validate", spec);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal([$"{spec}:5:3 $.batch: duplicate key \"batch\": each key may appear once in an object (the last one would silently win)"], result.ErrorLines);
    }

    [Fact]
    public async Task Run_DuplicateNestedKey_IsRefusedBeforeAnyWork()
    {
        var spec = _folder.Write("dup.json", $$"""
            {
              "name": "dup",
              "source": { "type": "jsonl", "path": "in.jsonl", "path": "other.jsonl" },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake")}} } ]
            }
            """);

        var result = await EtlCli.RunAsync("run", spec);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("$.source.path: duplicate key \"path\"", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.PathOf("lake")));
    }
}
