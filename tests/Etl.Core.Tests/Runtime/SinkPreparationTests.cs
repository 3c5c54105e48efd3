// Tests of when a run leases its sinks: an HTTP source starts requesting while the leases are taken, its writers wait for them,
// and a sink that must refuse existing data refuses before any request is sent.
using System.Text.Json;
using Etl.Core.Tests.Sources.Http;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;
using Etl.Spec;

namespace Etl.Core.Tests.Runtime;

public sealed class SinkPreparationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "etl-prepare-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string Source(SampleApiServer server) => $$"""
        { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/orders/{id}", "values": { "id": { "from": 1, "to": 40 } },
          "recordPath": "data", "concurrency": 8, "retry": { "maxAttempts": 1 } }
        """;

    private string Spec(SampleApiServer server, string mode) => $$"""
        {
          "name": "prepare-test",
          "source": {{Source(server)}},
          "transforms": [ { "type": "select", "columns": { "order_id": "id" } } ],
          "sinks": [ { "type": "parquet", "path": {{JsonSerializer.Serialize(Path.Combine(_folder, "out"))}}, "mode": "{{mode}}" } ],
          "errors": { "deadLetterPath": {{JsonSerializer.Serialize(Path.Combine(_folder, "errors"))}} }
        }
        """;

    private Task<RunResult> RunAsync(SampleApiServer server, string mode) =>
        new PipelineRunner(new RunOptions { Seed = 7 }).RunAsync(SpecLoader.Parse(Spec(server, mode), "test.json"), CancellationToken.None);

    [Fact]
    public async Task HttpRun_LeasedAlongsideItsRequests_WritesEveryRecordOnce()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { RecordRequests = false });

        var result = await RunAsync(server, "overwrite");

        Assert.Equal(RunStatus.Succeeded, result.Status);
        Assert.Equal([.. Enumerable.Range(1, 40).Select(i => (long)i)], HttpTestRuns.ReadLongs(Path.Combine(_folder, "out"), "order_id").Order());
    }

    [Fact]
    public async Task HttpRun_SinkThatCannotBeLeased_FailsWithTheSinkError()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { RecordRequests = false });
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(Path.Combine(_folder, "out"), "a file where the sink folder goes");

        var result = await RunAsync(server, "overwrite");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.DoesNotContain("cancel", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Path.Combine(_folder, "out"), result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.Written);
        Assert.Equal("a file where the sink folder goes", await File.ReadAllTextAsync(Path.Combine(_folder, "out")));
    }

    [Fact]
    public async Task HttpRun_ErrorIfExistsOverData_FailsBeforeAnyRequest()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { RecordRequests = false });
        Assert.Equal(RunStatus.Succeeded, (await RunAsync(server, "overwrite")).Status);
        var requestsBefore = server.TotalRequests;

        var result = await RunAsync(server, "errorIfExists");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("already holds data", result.Error, StringComparison.Ordinal);
        Assert.Equal(requestsBefore, server.TotalRequests);
    }
}
