// The writer-stage micro-benchmark timed with a stopwatch, in process and in a few seconds (BenchmarkDotNet's runs take
// minutes): `dotnet run -c Release --project tests/Etl.Benchmarks -- sink-write [rows] [iterations]`.
using System.Diagnostics;
using System.Globalization;

namespace Etl.Benchmarks.Micro;

public static class SinkWriteTimer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var bench = new SinkWriteBenchmark { Rows = rows };
        bench.Setup();
        try
        {
            foreach (var (name, write) in new (string, Func<Task<long>>)[] { ("parquet", bench.WriteParquet), ("parquet partitioned", bench.WritePartitionedParquet), ("csv", bench.WriteCsv) })
            {
                var times = new List<double>();
                var cpu = new List<double>();
                long allocated = 0;
                for (var i = 0; i <= iterations; i++)
                {
                    GC.Collect();
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    var watch = Stopwatch.StartNew();
                    await write();
                    watch.Stop();
                    var cpuTime = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
                    allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                    bench.DeleteFiles();
                    // The first run warms up (JIT, pools).
                    if (i > 0)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                        cpu.Add(cpuTime);
                    }
                }
                times.Sort();
                cpu.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {rows:N0} rows, min {times[0]:F0} ms, median {times[times.Count / 2]:F0} ms, CPU min {cpu[0]:F0} ms median {cpu[cpu.Count / 2]:F0} ms, allocated {allocated / 1048576.0:F1} MB per run"));
            }
        }
        finally
        {
            bench.Cleanup();
        }
        return 0;
    }
}
