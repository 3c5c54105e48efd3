// Shared set-up of the micro-benchmarks: a temp folder with generated orders and a RunContext like the CLI builds.
using System.Globalization;
using Etl.Benchmarks.Data;
using Etl.Columns;
using Etl.Records;
using Etl.Runtime;
using Etl.Sources;
using Etl.Spec;

namespace Etl.Benchmarks.Micro;

public sealed class MicroFixture : IAsyncDisposable
{
    public const int Seed = 7;

    public const string SchemaJson = """
        { "id": "int64 not null", "customer_id": "int64", "customer_name": "string", "country": "string",
          "amount": "decimal(18,2)", "status": "string", "created_at": "timestamp", "note": "string" }
        """;

    private MicroFixture(string folder, RunContext run)
    {
        Folder = folder;
        Run = run;
    }

    public string Folder { get; }

    public RunContext Run { get; }

    public TableSchema Schema => TableSchema.FromSpec(Run.Spec.Spec.Columns!);

    /// <summary>A temp folder holding <paramref name="rows"/> generated orders as CSV, and a spec that reads them with the declared schema.</summary>
    public static MicroFixture Create(long rows)
    {
        var folder = Path.Combine(Path.GetTempPath(), "etl-micro-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, "orders.csv");
        OrdersGenerator.WriteCsv(csv, Seed, rows);
        var text = $$"""
            {
              "name": "micro",
              "source": { "type": "csv", "path": {{System.Text.Json.JsonSerializer.Serialize(csv)}} },
              "schema": {{SchemaJson}},
              "sinks": [ { "type": "parquet", "path": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(folder, "lake"))}} } ]
            }
            """;
        var loaded = SpecLoader.Parse(text, Path.Combine(folder, "micro.json"));
        var run = new RunContext
        {
            RunId = "micro",
            Spec = loaded,
            DeadLetters = new DeadLetterWriter(Path.Combine(folder, "_errors"), "micro", loaded.Secrets),
        };
        return new MicroFixture(folder, run);
    }

    public string CsvPath => Path.Combine(Folder, "orders.csv");

    private int _stagings;

    /// <summary>A fresh staging folder for one invocation of a sink benchmark.</summary>
    public string NextStagingFolder() =>
        Path.Combine(Folder, "staging", (_stagings++).ToString(CultureInfo.InvariantCulture));

    /// <summary>Removes what sink benchmarks wrote (between iterations, so the disk does not fill).</summary>
    public void DeleteStaging()
    {
        var staging = Path.Combine(Folder, "staging");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    public CsvSourceSpec CsvSpec => (CsvSourceSpec)Run.Spec.Spec.Source;

    /// <summary>Rows of the declared schema (values already converted), as the conformer hands them to sinks.</summary>
    public static object?[][] Rows(long count) =>
    [
        .. OrdersGenerator.Orders(Seed, count).Select(o => new object?[]
        {
            o.Id, o.CustomerId, o.CustomerName, o.Country, o.Amount, o.Status, o.CreatedAt, o.Note,
        }),
    ];

    /// <summary>The NDJSON lines of <paramref name="count"/> orders, as UTF-8 bytes.</summary>
    public byte[][] JsonLines(long count)
    {
        var path = Path.Combine(Folder, "orders-" + count.ToString(CultureInfo.InvariantCulture) + ".ndjson");
        OrdersGenerator.WriteNdjson(path, Seed, count);
        return [.. File.ReadAllLines(path).Select(System.Text.Encoding.UTF8.GetBytes)];
    }

    public async ValueTask DisposeAsync()
    {
        await Run.DeadLetters.DisposeAsync();
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}

/// <summary>The mesh entry as a source sees it, kept in memory: counts rows and keeps the last record or batch so nothing is
/// optimised away; batches are dropped as they are, not turned into records.</summary>
public sealed class CountingOutput : ISourceOutput
{
    public long Records { get; private set; }

    public long Rejected { get; private set; }

    public Record? Last { get; private set; }

    public ColumnBatch? LastBatch { get; private set; }

    public ValueTask SendBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        Records += batch.RowCount;
        LastBatch = batch;
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAsync(Record record, CancellationToken cancellationToken)
    {
        Records++;
        Last = record;
        return ValueTask.CompletedTask;
    }

    public void Reject(string origin, string reason, string? raw) => Rejected++;

    public void RejectRequest(DeadLetter letter) => Rejected++;
}
