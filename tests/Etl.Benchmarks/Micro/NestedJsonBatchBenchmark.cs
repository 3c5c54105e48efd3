// Hot path of ndjson-parquet before the conformer: nested order lines → explode items → select 7 paths, through the
// JSON Lines source's column batches and the batch kernels, against the record path (a record per line and per row).
using BenchmarkDotNet.Attributes;
using Etl.Columns;
using Etl.Records;
using Etl.Runtime;
using Etl.Sources;
using Etl.Transforms;

namespace Etl.Benchmarks.Micro;

[ShortRunJob]
[MemoryDiagnoser]
public class NestedJsonBatchBenchmark
{
    private MicroFixture _fixture = null!;
    private string _file = null!;
    private byte[][] _lines = null!;
    private ExplodeTransform _explode = null!;
    private SelectTransform _select = null!;

    [Params(20_000)]
    public int Orders { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = MicroFixture.Create(1);
        _lines = _fixture.JsonLines(Orders);
        _file = Path.Combine(_fixture.Folder, $"orders-{Orders}.ndjson");
        _explode = new ExplodeTransform(new ExplodeTransformSpec { Path = "items", As = "item" });
        _select = new SelectTransform(new SelectTransformSpec
        {
            Columns = new()
            {
                ["order_id"] = "id",
                ["customer"] = "customer.name",
                ["country"] = "customer.country",
                ["created_at"] = "created_at",
                ["sku"] = "item.sku",
                ["qty"] = "item.qty",
                ["price"] = "item.price",
            },
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, Description = "records: RecordJson.Parse, explode, select")]
    public long RecordPath()
    {
        var names = new NamePool();
        var exploded = new List<Record>();
        var selected = new List<Record>();
        long rows = 0;
        foreach (var line in _lines)
        {
            exploded.Clear();
            selected.Clear();
            _explode.Apply((Record)RecordJson.Parse(line, names)!, exploded);
            foreach (var record in exploded)
            {
                _select.Apply(record, selected);
            }
            rows += selected.Count;
        }
        return rows;
    }

    [Benchmark(Description = "column batches: JsonLinesSource, explode and select kernels")]
    public async Task<long> BatchPath()
    {
        var output = new KernelOutput(_explode, _select);
        await new JsonLinesSource(new JsonLinesSourceSpec { Path = _file }, _fixture.Run).ReadAsync(output, CancellationToken.None);
        return output.Rows;
    }

    /// <summary>Applies the kernels to each batch the source sends, as the mesh's transform blocks do.</summary>
    private sealed class KernelOutput(IBatchTransform explode, IBatchTransform select) : ISourceOutput
    {
        public long Rows { get; private set; }

        public ValueTask SendAsync(Record record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("the benchmark's lines all have one shape");

        public ValueTask SendBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
        {
            var exploded = explode.TryApply(batch) ?? throw new InvalidOperationException("explode left the batch to the record path");
            var selected = select.TryApply(exploded.Batch) ?? throw new InvalidOperationException("select left the batch to the record path");
            Rows += selected.Batch.RowCount;
            return ValueTask.CompletedTask;
        }

        public void Reject(string origin, string reason, string? raw) => throw new InvalidOperationException(reason);

        public void RejectRequest(DeadLetter letter) => throw new InvalidOperationException(letter.Reason);
    }
}
