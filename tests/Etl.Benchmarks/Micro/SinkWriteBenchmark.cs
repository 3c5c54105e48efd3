// Writer stage alone: conformed column batches of the orders (as the mesh sends them) → Parquet or CSV part files.
using BenchmarkDotNet.Attributes;
using Etl.Columns;
using Etl.Records;
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Benchmarks.Micro;

[ShortRunJob]
[MemoryDiagnoser]
public class SinkWriteBenchmark
{
    // Rows per batch as sources send them (ISourceOutput.BatchRows); the sink regroups them into row groups of 10k.
    private const int BatchRows = 4096;
    private MicroFixture _fixture = null!;
    private TableSchema _schema = null!;
    private ParquetSinkSpec _parquet = null!;
    private CsvSinkSpec _csv = null!;
    private ParquetSinkSpec _partitioned = null!;
    private List<ColumnBatch> _batches = null!;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = MicroFixture.Create(1);
        _schema = _fixture.Schema;
        _parquet = (ParquetSinkSpec)_fixture.Run.Spec.Spec.Sinks[0];
        _csv = new CsvSinkSpec { Path = _parquet.Path };
        _partitioned = _parquet with { PartitionBy = ["country"] };
        _batches = [.. MicroFixture.Rows(Rows).Chunk(BatchRows).Select(rows => ColumnBatch.FromRows(_schema, rows))];
    }

    [IterationCleanup]
    public void DeleteFiles() => _fixture.DeleteStaging();

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "ParquetSink: column batches → row groups of 10k, close")]
    public Task<long> WriteParquet() => WriteAsync(new ParquetSink(_parquet, _fixture.Run));

    [Benchmark(Description = "ParquetSink partitioned by country: buffer, drain one file per partition, close")]
    public Task<long> WritePartitionedParquet() => WriteAsync(new ParquetSink(_partitioned, _fixture.Run));

    [Benchmark(Description = "CsvSink: column batches → CSV, close")]
    public Task<long> WriteCsv() => WriteAsync(new CsvSink(_csv, _fixture.Run));

    private async Task<long> WriteAsync(ISink sink)
    {
        await using (sink)
        {
            var folder = _fixture.NextStagingFolder();
            await sink.OpenAsync(_schema, folder, 0, CancellationToken.None);
            foreach (var batch in _batches)
            {
                await sink.WriteBatchAsync(batch, CancellationToken.None);
            }
            var files = await sink.CloseAsync(CancellationToken.None);
            return files.Sum(f => f.Rows);
        }
    }
}
