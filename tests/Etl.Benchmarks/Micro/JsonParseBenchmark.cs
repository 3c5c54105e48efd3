// Hot path: one NDJSON line → Record (Etl.Records.RecordJson.Parse with a shared NamePool, as JsonLinesSource does).
using BenchmarkDotNet.Attributes;
using Etl.Records;

namespace Etl.Benchmarks.Micro;

[ShortRunJob]
[MemoryDiagnoser]
public class JsonParseBenchmark
{
    private MicroFixture _fixture = null!;
    private byte[][] _lines = null!;
    private NamePool _names = null!;

    [Params(10_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = MicroFixture.Create(1);
        _lines = _fixture.JsonLines(Lines);
        _names = new NamePool();
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "RecordJson.Parse, nested order lines")]
    public long ParseLines()
    {
        long fields = 0;
        foreach (var line in _lines)
        {
            fields += ((Record)RecordJson.Parse(line, _names)!).Count;
        }
        return fields;
    }
}
