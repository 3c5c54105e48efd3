// Helpers of the HTTP source tests: a spec around a source, a run through PipelineRunner, and readers of what it wrote.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.Spec;
using Parquet;
using Parquet.Schema;

namespace Etl.Core.Tests.Sources.Http;

/// <summary>What a run produced: its result, the sink folder and the dead letters.</summary>
internal sealed record HttpRun(RunResult Result, string Sink, IReadOnlyList<JsonElement> DeadLetters)
{
    /// <summary>The dead letters' URLs.</summary>
    public IReadOnlyList<string> DeadLetterUrls => [.. DeadLetters.Select(d => d.GetProperty("url").GetString()!)];
}

internal static class HttpTestRuns
{
    /// <summary>A whole spec around <paramref name="source"/>: selected columns to Parquet in <paramref name="folder"/>.</summary>
    public static string Spec(string source, string folder, string? columns = null, long maxFailedRequests = 1_000_000, long maxFailedRecords = 0) => $$"""
        {
          "name": "http-test",
          "source": {{source}},
          "transforms": [ { "type": "select", "columns": {{columns ?? """{ "order_id": "id" }"""}} } ],
          "sinks": [ { "type": "parquet", "path": {{JsonSerializer.Serialize(Path.Combine(folder, "out"))}} } ],
          "errors": { "deadLetterPath": {{JsonSerializer.Serialize(Path.Combine(folder, "errors"))}}, "maxFailedRequests": {{maxFailedRequests}}, "maxFailedRecords": {{maxFailedRecords}} }
        }
        """;

    /// <summary>A run context for unit tests that build parts of the source themselves.</summary>
    public static RunContext Context(string source, TimeProvider? time = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "etl-http-unused");
        var loaded = SpecLoader.Parse(Spec(source, folder), "test.json");
        return TestRun.Context(loaded, Path.Combine(folder, Guid.NewGuid().ToString("N")), time);
    }

    public static async Task<HttpRun> RunAsync(string source, string folder, string? columns = null, RunOptions? options = null,
        long maxFailedRequests = 1_000_000, long maxFailedRecords = 0, CancellationToken cancellationToken = default)
    {
        var loaded = SpecLoader.Parse(Spec(source, folder, columns, maxFailedRequests, maxFailedRecords), "test.json");
        var result = await new PipelineRunner(options ?? new RunOptions { Seed = 7 }).RunAsync(loaded, cancellationToken);
        return new HttpRun(result, Path.Combine(folder, "out"), ReadDeadLetters(result.DeadLetterFile));
    }

    public static IReadOnlyList<JsonElement> ReadDeadLetters(string? file) =>
        file is null || !File.Exists(file)
            ? []
            : [.. File.ReadLines(file).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>One BIGINT column of every Parquet file under <paramref name="sink"/>, read by DuckDB.</summary>
    public static List<long> ReadLongs(string sink, string column) =>
        Directory.Exists(sink) && Directory.EnumerateFiles(sink, "*.parquet", SearchOption.AllDirectories).Any()
            ? [.. ReadStrings(sink, $"CAST({column} AS BIGINT)").Select(v => long.Parse(v, System.Globalization.CultureInfo.InvariantCulture))]
            : [];

    /// <summary>One column of every Parquet file under <paramref name="sink"/> as text, read by DuckDB, in file order.</summary>
    public static List<string> ReadStrings(string sink, string column) =>
        [.. DuckDb.Column($"SELECT {column} FROM read_parquet({DuckDb.Quote(sink + "/**/*.parquet")})").Select(v => v!)];

    /// <summary>The id in the last path segment of a URL such as http://h/orders/17.</summary>
    public static long IdOf(string url) => long.Parse(new Uri(url).Segments[^1].TrimEnd('/'), System.Globalization.CultureInfo.InvariantCulture);

    public static async Task WriteIdsParquetAsync(string file, long[] ids)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var field = new DataField<long>("id");
        await using var stream = File.Create(file);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync<long>(field, ids.AsMemory());
        group.CompleteValidate();
    }
}
