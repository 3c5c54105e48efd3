// Hot path: CSV bytes → typed rows (Etl.Sources.CsvSource with a declared schema) into an in-memory source output that drops them.
using BenchmarkDotNet.Attributes;
using Etl.Sources;

namespace Etl.Benchmarks.Micro;

[ShortRunJob]
[MemoryDiagnoser]
public class CsvParseBenchmark
{
    private MicroFixture _fixture = null!;

    [Params(1_000_000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup() => _fixture = MicroFixture.Create(Rows);

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Description = "CsvSource → rows, dropped")]
    public async Task<long> ParseCsv()
    {
        var output = new CountingOutput();
        await new CsvSource(_fixture.CsvSpec, _fixture.Run).ReadAsync(output, CancellationToken.None);
        if (output.Records != Rows)
        {
            throw new InvalidOperationException($"read {output.Records} of {Rows} rows ({output.Rejected} rejected)");
        }
        return output.Records;
    }
}
