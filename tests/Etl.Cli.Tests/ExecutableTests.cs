// The real etl executable, started as a process: exit codes and the summary line reach the caller.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

public sealed class ExecutableTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Etl_RunWithRelativePaths_ResolvesThemAgainstTheWorkingDirectory()
    {
        _folder.Write("in/orders.csv", "id,amount\n1,10.50\n2,99.99\n3,100.01\n");
        _folder.Write("spec.json", """
            {
              "name": "rel",
              "parameters": { "date": "2026-01-01" },
              "source": { "type": "csv", "path": "in/orders.csv" },
              "transforms": [ { "type": "filter", "where": "amount > 50" } ],
              "schema": { "id": "int64", "amount": "decimal(18,2)" },
              "sinks": [ { "type": "parquet", "path": "lake/orders/date=${date}" } ]
            }
            """);

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "spec.json", "--param", "date=2026-11-28");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(new Summary("rel", "succeeded", 3, 1, 0, 0, 2, 1), result.Summary);
        Assert.Equal([["2", "99.99", "2026-11-28"], ["3", "100.01", "2026-11-28"]],
            DuckDb.Rows($"SELECT id, amount, date FROM {DuckDb.Parquet(_folder.PathOf("lake/orders"))} ORDER BY id"));
    }

    [Fact]
    public async Task Etl_InvalidSpec_ExitsTwoWithTheProblemOnStderr()
    {
        var spec = _folder.Write("spec.json", """{ "name": "x", "source": { "type": "csv", "path": "in.csv" }, "sinks": [ { "type": "parquet", "path": "out", "compression": "lz5" } ] }""");

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", spec);

        Assert.Equal((2, ""), (result.ExitCode, result.Stdout));
        Assert.Equal([$"{spec}:1:110 $.sinks[0].compression: expected one of snappy, gzip, zstd, none; got \"lz5\""], result.ErrorLines);
    }

    [Fact]
    public async Task Etl_TooManyFailedRecords_ExitsThree()
    {
        _folder.Write("in/orders.csv", "id,amount\n1,10.50\n2,oops\n");
        _folder.Write("spec.json", """
            {
              "name": "three",
              "source": { "type": "csv", "path": "in/orders.csv" },
              "schema": { "id": "int64", "amount": "decimal(18,2)" },
              "sinks": [ { "type": "parquet", "path": "lake/three" } ]
            }
            """);

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "spec.json");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(new Summary("three", "toomanyfailures", 2, 0, 1, 0, 1, 0), result.Summary);
        Assert.Empty(_folder.VisibleFiles("lake/three"));
    }

    [Fact]
    public void Etl_RuntimeConfiguration_AsksTheCollectorToConserveMemory()
    {
        // What keeps the peak at ten times the rows near the peak at one (README, Performance).
        using var config = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(EtlCli.Executable, ".runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(5, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }

    [Fact]
    public void Etl_RuntimeConfiguration_CompilesLoopsTheImageLacksOptimizedAtOnce()
    {
        // The vectorized searches the JSON readers run on are not in the ReadyToRun image on an AVX-512 machine: at tier 0
        // they cost NDJSON to Parquet about 12% of its CPU (README, Performance).
        using var config = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(EtlCli.Executable, ".runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredCompilation.QuickJitForLoops").GetBoolean());
    }
}
