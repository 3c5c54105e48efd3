// Hot path: the csv-filter condition over typed order batches, record by record (the mesh's fallback) and by the batch kernel.
using BenchmarkDotNet.Attributes;
using Etl.Columns;
using Etl.Records;
using Etl.Transforms;

namespace Etl.Benchmarks.Micro;

[ShortRunJob]
[MemoryDiagnoser]
public class FilterBenchmark
{
    private const int BatchRows = 4096;
    private const string Where = Scenarios.FileScenarios.FilterWhere;

    private static readonly string[] Names = ["id", "customer_id", "customer_name", "country", "amount", "status", "created_at", "note"];

    private static readonly ColumnKind[] Kinds =
        [ColumnKind.Int64, ColumnKind.Int64, ColumnKind.String, ColumnKind.String, ColumnKind.Decimal, ColumnKind.String, ColumnKind.Timestamp, ColumnKind.String];

    private ColumnBatch[] _batches = null!;

    // Made once, as a run makes them: the warm-up pays for parsing and compiling, the measured runs do not.
    private readonly FilterTransform _recordFilter = new(new FilterTransformSpec { Where = Where });
    private readonly FilterTransform _batchFilter = new(new FilterTransformSpec { Where = Where });
    private readonly FilterTransform _keepAllFilter = new(new FilterTransformSpec { Where = "amount > -1 && status != \"\"" });

    [Params(1_000_000)]
    public int Rows { get; set; }

    /// <summary>The orders as the CSV source sends them with the declared schema: typed column batches with origins.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var start = 2L;
        _batches = [.. MicroFixture.Rows(Rows).Chunk(BatchRows).Select(rows =>
        {
            var columns = Kinds.Select((kind, c) => Column.FromValues(kind, [.. rows.Select(r => r[c])])).ToArray();
            var origins = new BatchOrigins("orders.csv", [.. Enumerable.Range(0, rows.Length).Select(r => start + r)]);
            start += rows.Length;
            return new ColumnBatch(Names, columns, rows.Length, origins);
        })];
    }

    [Benchmark(Baseline = true, Description = "filter: record by record")]
    public long RecordPath()
    {
        var filter = _recordFilter;
        long kept = 0;
        foreach (var batch in _batches)
        {
            var output = new List<Record>(batch.RowCount);
            foreach (var record in batch.ToRecords())
            {
                filter.Apply(record, output);
            }
            kept += ColumnBatch.FromRecords([.. output]).RowCount;
        }
        return kept;
    }

    [Benchmark(Description = "filter: column batches")]
    public long BatchPath()
    {
        var filter = _batchFilter;
        long kept = 0;
        foreach (var batch in _batches)
        {
            kept += (filter.TryApply(batch) ?? throw new InvalidOperationException("a batch took the record path")).Batch.RowCount;
        }
        return kept;
    }

    // The same kernel over a condition that keeps every row, so no row is gathered: the cost of evaluating alone.
    [Benchmark(Description = "filter: column batches, every row kept")]
    public long BatchPathKeepingAll()
    {
        var filter = _keepAllFilter;
        long kept = 0;
        foreach (var batch in _batches)
        {
            kept += (filter.TryApply(batch) ?? throw new InvalidOperationException("a batch took the record path")).Batch.RowCount;
        }
        return kept;
    }
}
