// Memory stays flat: ten times the input does not raise the peak of managed memory (bounded blocks, no unbounded queue).
using System.Globalization;
using System.Text;
using Etl.Cli.Tests.TestSupport;
using Xunit.Abstractions;

namespace Etl.Cli.Tests;

// Alone, after the parallel tests: the sampler sees the whole process's heap.
[CollectionDefinition(nameof(BoundedMemoryTests), DisableParallelization = true)]
public sealed class BoundedMemoryCollection;

[Collection(nameof(BoundedMemoryTests))]
public sealed class BoundedMemoryTests(ITestOutputHelper output) : IDisposable
{
    private const long SlackBytes = 16L << 20;
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Run_TenTimesTheRows_PeakManagedMemoryDoesNotGrowWithTheInput()
    {
        await PeakOfRunAsync(10_000); // JIT, caches and the expression compiler are not the input's cost
        var small = await PeakOfRunAsync(200_000);
        var large = await PeakOfRunAsync(2_000_000);

        output.WriteLine($"peak managed memory: 200k rows {small.Total >> 20} MiB (live after a full GC {small.Heap >> 20} MiB); " +
                         $"2M rows {large.Total >> 20} MiB (live after a full GC {large.Heap >> 20} MiB)");
        Assert.True(large.Total < 2 * small.Total + SlackBytes,
            $"2M rows peaked at {large.Total >> 20} MiB, 200k rows at {small.Total >> 20} MiB");
        Assert.True(large.Heap < 2 * small.Heap + SlackBytes,
            $"2M rows held {large.Heap >> 20} MiB live after a full GC, 200k rows {small.Heap >> 20} MiB");
    }

    /// <summary>Runs the pipeline on <paramref name="rows"/> generated rows; returns the peaks above the starting heap.</summary>
    private async Task<(long Total, long Heap)> PeakOfRunAsync(int rows)
    {
        var name = $"rows{rows}";
        Generate(_folder.PathOf($"in/{name}.csv"), rows);
        var spec = _folder.Write($"{name}.json", $$"""
            {
              "name": "{{name}}",
              "source": { "type": "csv", "path": {{_folder.Json($"in/{name}.csv")}} },
              "transforms": [
                { "type": "filter", "where": "amount > 10" },
                { "type": "derive", "column": "amount_cents", "expression": "amount * 100" }
              ],
              "schema": { "id": "int64 not null", "customer": "string", "country": "string", "amount": "decimal(18,2)",
                          "created_at": "timestamp", "note": "string", "amount_cents": "int64" },
              "batch": { "size": 200, "boundedCapacity": 64 },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json($"lake/{name}")}} } ]
            }
            """);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peakTotal = 0, peakHeap = 0;
        using var stop = new CancellationTokenSource();
        var sampler = new Thread(() =>
        {
            for (var tick = 0; !stop.IsCancellationRequested; tick++)
            {
                peakTotal = Math.Max(peakTotal, GC.GetTotalMemory(forceFullCollection: false));
                // Every 50 ms the live heap after a full collection: what the run holds, not garbage awaiting a gen2 GC.
                if (tick % 50 == 0)
                {
                    peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: true));
                }
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "memory sampler" };
        sampler.Start();
        CliResult result;
        try
        {
            result = await EtlCli.RunOkAsync("run", spec);
        }
        finally
        {
            stop.Cancel();
            sampler.Join();
        }
        Assert.Equal(rows, result.Summary.Read);
        Assert.Equal(rows, result.Summary.Written + result.Summary.Filtered);
        File.Delete(_folder.PathOf($"in/{name}.csv"));
        Directory.Delete(_folder.PathOf($"lake/{name}"), recursive: true);
        return (Math.Max(0, peakTotal - baseline), Math.Max(0, peakHeap - baseline));
    }

    // Unique ids and notes, so no string pool can hide a leak; amounts 0.00-99.99 so the filter keeps most rows.
    private static void Generate(string path, int rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string[] countries = ["DE", "FR", "US", "JP", "BR"];
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("id,customer,country,amount,created_at,note\n");
        var line = new StringBuilder(128);
        for (var i = 1; i <= rows; i++)
        {
            line.Clear().Append(CultureInfo.InvariantCulture, $"{i},customer {i % 5000},{countries[i % 5]},{i % 10000 / 100}.{i % 100:D2},")
                .Append(start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Append(CultureInfo.InvariantCulture, $",\"note {i}, with a comma\"\n");
            writer.Write(line);
        }
    }
}
