// The one place tests build what a run hands its components (spec, RunContext, dead-letter writer), so a change to
// how runs are wired is a change here, not in every test.
using System.Text.Json;
using Etl.Lake;
using Etl.Records;
using Etl.Runtime;
using Etl.Sinks;
using Etl.Sources;
using Etl.Spec;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Core.Tests.TestSupport;

public static class TestRun
{
    public const string RunId = "20261128T100000Z-0000beef";

    /// <summary>A source nothing reads, for tests of a sink or the Conformer.</summary>
    public const string NoSource = """{ "type": "jsonl", "path": "unused.jsonl" }""";

    /// <summary>A whole spec around <paramref name="source"/> and <paramref name="sink"/> (a Parquet sink in
    /// <c>out</c> by default), with dead letters in <c>errors</c> of <paramref name="folder"/>.</summary>
    public static LoadedSpec Spec(TestFolder folder, string source = NoSource, string? sink = null, string? schema = null, int? batchSize = null)
    {
        var text = $$"""
            {
              "name": "test",
              "source": {{source}},
              {{(schema is null ? "" : $"\"schema\": {schema},")}}
              {{(batchSize is null ? "" : $"\"batch\": {{ \"size\": {batchSize} }},")}}
              "sinks": [ {{sink ?? $$"""{ "type": "parquet", "path": {{folder.Json("out")}} }"""}} ],
              "errors": { "deadLetterPath": {{folder.Json("errors")}} }
            }
            """;
        return SpecLoader.Parse(text, folder.PathOf("test.json"));
    }

    /// <summary>The context a run gives its components, for <see cref="Spec"/>'s arguments.</summary>
    public static RunContext Context(TestFolder folder, string source = NoSource, string? sink = null, string? schema = null,
        int? batchSize = null, ILogger? logger = null) =>
        Context(Spec(folder, source, sink, schema, batchSize), folder.PathOf("errors"), logger: logger);

    /// <summary>The context a run of <paramref name="loaded"/> gives its components, dead letters going to
    /// <paramref name="deadLetterFolder"/>.</summary>
    public static RunContext Context(LoadedSpec loaded, string deadLetterFolder, TimeProvider? time = null, ILogger? logger = null, Shard? shard = null) => new()
    {
        Shard = shard,
        RunId = RunId,
        Spec = loaded,
        DeadLetters = DeadLetterWriter(deadLetterFolder, RunId, loaded.Secrets),
        Time = time ?? TimeProvider.System,
        Logger = logger ?? NullLogger.Instance,
    };

    public static DeadLetterWriter DeadLetterWriter(string folder, string runId, Redactor secrets) => new(folder, runId, secrets);

    /// <summary>A redactor that masks <paramref name="secrets"/>, as one built from ${env:…} values would.</summary>
    public static Redactor Secrets(params string[] secrets)
    {
        var redactor = new Redactor();
        foreach (var secret in secrets)
        {
            redactor.Add(secret);
        }
        return redactor;
    }

    /// <summary>The run's source, built through the component registry as the runner builds it.</summary>
    public static ISource Source(RunContext run)
    {
        var spec = run.Spec.Spec.Source;
        return (ISource)Components.For(spec.GetType()).Create(spec, run);
    }

    /// <summary>Reads <paramref name="source"/> to its end, as a run of a spec with <paramref name="schema"/> would.</summary>
    public static async Task<CollectingOutput> ReadAsync(TestFolder folder, string source, string? schema = null)
    {
        var output = new CollectingOutput();
        await Source(Context(folder, source, schema: schema)).ReadAsync(output, CancellationToken.None);
        return output;
    }

    /// <summary>The run's first sink, built through the component registry as the runner builds it.</summary>
    public static ISink Sink(RunContext run)
    {
        var spec = run.Spec.Spec.Sinks[0];
        return (ISink)Components.For(spec.GetType()).Create(spec, run);
    }

    /// <summary>Opens the run's first sink on <paramref name="schema"/> (staging in <c>staging</c> of
    /// <paramref name="folder"/>), writes <paramref name="batches"/>, closes it and returns the files it staged.</summary>
    public static Task<IReadOnlyList<StagedFile>> WriteAsync(TestFolder folder, string sink, TableSchema schema, params object?[][][] batches) =>
        WriteAsync(folder, sink, schema, null, batches);

    /// <summary>Writes <paramref name="batches"/> through a sink of a spec whose batch size is <paramref name="batchSize"/>.</summary>
    public static async Task<IReadOnlyList<StagedFile>> WriteAsync(TestFolder folder, string sink, TableSchema schema, int? batchSize, params object?[][][] batches)
    {
        await using var writer = Sink(Context(folder, sink: sink, batchSize: batchSize));
        await writer.OpenAsync(schema, folder.PathOf("staging"), 0, CancellationToken.None);
        foreach (var batch in batches)
        {
            await writer.WriteBatchAsync(batch, CancellationToken.None);
        }
        return await writer.CloseAsync(CancellationToken.None);
    }

    /// <summary>A schema from (name, type) pairs written as in a spec: ("id", "int64 not null").</summary>
    public static TableSchema Schema(params (string Name, string Type)[] columns) =>
        new([.. columns.Select(c => new SchemaColumn(c.Name, ColumnType.Parse(c.Type)))]);

    /// <summary>The dead letters written so far, one JSON object each; closes the writer so every line is on disk.</summary>
    public static async Task<IReadOnlyList<JsonElement>> DeadLettersAsync(RunContext run)
    {
        await run.DeadLetters.DisposeAsync();
        var file = run.DeadLetters.FilePath;
        return File.Exists(file)
            ? [.. File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())]
            : [];
    }
}
