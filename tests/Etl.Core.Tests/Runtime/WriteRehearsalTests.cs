// WriteRehearsal: while a source waits on the network, the write path runs once on a made-up record, leaving no trace.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;

namespace Etl.Core.Tests.Runtime;

public sealed class WriteRehearsalTests : IDisposable
{
    private const string HttpSource = """{ "type": "http", "baseUrl": "http://127.0.0.1:1", "path": "/orders" }""";

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Scratch => _folder.PathOf("scratch");

    /// <summary>A process that uses no CPU: every core is idle.</summary>
    private static TimeSpan Idle() => TimeSpan.Zero;

    private RunContext Run(string? sink = null, string? schema = null) =>
        TestRun.Context(_folder, HttpSource, sink, schema);

    private async Task<bool> RehearseAsync(RunContext run)
    {
        Directory.CreateDirectory(Scratch);
        run.Counters.CountRead();
        await using var rehearsal = WriteRehearsal.Start(run, Scratch, Idle, CancellationToken.None);
        return await rehearsal.Rehearsed;
    }

    [Fact]
    public async Task Rehearsal_InferredSchemaIntoParquet_WritesClosesAndChecksAFile()
    {
        Assert.True(await RehearseAsync(Run()));
    }

    [Fact]
    public async Task Rehearsal_DeclaredSchemaIntoCsv_WritesClosesAndChecksAFile()
    {
        var sink = $$"""{ "type": "csv", "path": {{_folder.Json("out")}} }""";
        var schema = """{ "id": "int64 not null", "n": "int32", "price": "decimal(10,2)", "rate": "double", "ok": "bool", "day": "date", "at": "timestamp", "name": "string" }""";

        Assert.True(await RehearseAsync(Run(sink, schema)));
    }

    [Fact]
    public async Task Rehearsal_PartitionedSink_WritesClosesAndChecksAFile()
    {
        var sink = $$"""{ "type": "parquet", "path": {{_folder.Json("out")}}, "partitionBy": ["sample_string"] }""";

        Assert.True(await RehearseAsync(Run(sink)));
    }

    [Fact]
    public async Task Rehearsal_LeavesNoFileCountOrDeadLetterOfTheRun()
    {
        var run = Run();

        await RehearseAsync(run);

        Assert.False(Directory.Exists(_folder.PathOf("out")));
        Assert.False(Directory.Exists(_folder.PathOf("errors")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Scratch));
        Assert.Equal(0, run.Counters.Written);
        Assert.Equal(0, run.Counters.Failed);
        Assert.Equal(0, run.DeadLetters.Count);
    }

    [Fact]
    public async Task Rehearsal_RunEndingBeforeItsFirstRecords_StopsWithoutWriting()
    {
        Directory.CreateDirectory(Scratch);
        var rehearsal = WriteRehearsal.Start(Run(), Scratch, Idle, CancellationToken.None);

        await rehearsal.DisposeAsync();

        Assert.False(await rehearsal.Rehearsed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Scratch));
    }

    [Fact]
    public async Task Rehearsal_RunKeepingEveryCoreBusy_IsSkipped()
    {
        Directory.CreateDirectory(Scratch);
        var run = Run();
        run.Counters.CountRead();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // The CPU time of a process whose threads keep every core busy.
        TimeSpan AllCoresBusy() => clock.Elapsed * Environment.ProcessorCount;

        await using var rehearsal = WriteRehearsal.Start(run, Scratch, AllCoresBusy, CancellationToken.None);

        Assert.False(await rehearsal.Rehearsed);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Scratch));
    }

    [Fact]
    public async Task Rehearsal_ScratchFolderCannotBeMade_IsOnlyMissed()
    {
        var run = Run();
        run.Counters.CountRead();
        var notAFolder = _folder.PathOf("file");
        await File.WriteAllTextAsync(notAFolder, "");
        var rehearsal = WriteRehearsal.Start(run, notAFolder, Idle, CancellationToken.None);

        await rehearsal.DisposeAsync();

        Assert.False(await rehearsal.Rehearsed);
    }
}
