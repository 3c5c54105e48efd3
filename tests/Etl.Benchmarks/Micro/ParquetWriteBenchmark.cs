// Hot path: typed rows → Parquet column arrays → snappy row groups (Etl.Sinks.ParquetSink through FileSink.WriteBatchAsync).
using BenchmarkDotNet.Attributes;
using Etl.Records;
using Etl.Sinks;

namespace Etl.Benchmarks.Micro;

[ShortRunJob]
[MemoryDiagnoser]
public class ParquetWriteBenchmark
{
    private const int BatchSize = 10_000;
    private MicroFixture _fixture = null!;
    private TableSchema _schema = null!;
    private ParquetSinkSpec _spec = null!;
    private List<object?[][]> _batches = null!;

    [Params(100_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = MicroFixture.Create(1);
        _schema = _fixture.Schema;
        _spec = (ParquetSinkSpec)_fixture.Run.Spec.Spec.Sinks[0];
        _batches = [.. MicroFixture.Rows(Rows).Chunk(BatchSize)];
    }

    [IterationCleanup]
    public void DeleteFiles() => _fixture.DeleteStaging();

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "ParquetSink: rows → row groups of 10k, close")]
    public async Task<long> WriteParquet()
    {
        var folder = _fixture.NextStagingFolder();
        await using var sink = new ParquetSink(_spec, _fixture.Run);
        await sink.OpenAsync(_schema, folder, 0, CancellationToken.None);
        foreach (var batch in _batches)
        {
            await sink.WriteBatchAsync(batch, CancellationToken.None);
        }
        var files = await sink.CloseAsync(CancellationToken.None);
        return files.Sum(f => f.Rows);
    }
}
