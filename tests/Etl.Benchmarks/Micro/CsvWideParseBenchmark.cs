// Hot path of a wide file: 500 columns, types inferred (Etl.Sources.CsvSource) into an in-memory output that drops the rows.
using BenchmarkDotNet.Attributes;
using Etl.Benchmarks.Data;
using Etl.Sources;

namespace Etl.Benchmarks.Micro;

[ShortRunJob]
[MemoryDiagnoser]
public class CsvWideParseBenchmark
{
    private MicroFixture _fixture = null!;
    private CsvSourceSpec _spec = null!;

    [Params(10_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = MicroFixture.Create(1);
        var wide = Path.Combine(_fixture.Folder, "wide.csv");
        WideGenerator.WriteCsv(wide, MicroFixture.Seed, Rows);
        _spec = _fixture.CsvSpec with { Path = wide };
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "CsvSource, 500 inferred columns → rows, dropped")]
    public async Task<long> ParseWideCsv()
    {
        var output = new CountingOutput();
        await new CsvSource(_spec, _fixture.Run).ReadAsync(output, CancellationToken.None);
        if (output.Records != Rows)
        {
            throw new InvalidOperationException($"read {output.Records} of {Rows} rows ({output.Rejected} rejected)");
        }
        return output.Records;
    }
}
