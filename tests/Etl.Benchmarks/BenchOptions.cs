// Command-line options of the benchmark harness: sizes, folders and seed, with their defaults named in one place.
using System.Globalization;

namespace Etl.Benchmarks;

public sealed record BenchOptions
{
    public const long DefaultRows = 5_000_000;
    public const long DefaultJsonRows = 1_000_000;
    public const long DefaultMemoryRows = 1_000_000;
    public const long DefaultJsonArrayMb = 512;
    public const int DefaultHttpEndpoints = 10_000;
    public const int DefaultLatencyEndpoints = 1_000;
    public const int DefaultLatencyMs = 200;
    public const int DefaultConcurrency = 50;
    public const int DefaultSeed = 20261128;
    public const int DefaultRepeat = 1;
    public const string DefaultWork = "bench-work";
    public const string DefaultOut = "bench-results";

    /// <summary>Orders in the CSV of the CSV → Parquet and CSV → CSV scenarios.</summary>
    public long Rows { get; init; } = DefaultRows;

    /// <summary>Orders in the NDJSON of the NDJSON → Parquet scenario.</summary>
    public long JsonRows { get; init; } = DefaultJsonRows;

    /// <summary>N of the memory scenario, which runs CSV → Parquet at N and 10 × N rows.</summary>
    public long MemoryRows { get; init; } = DefaultMemoryRows;

    /// <summary>Size in MB of the JSON array of the json-array scenario.</summary>
    public long JsonArrayMb { get; init; } = DefaultJsonArrayMb;

    public int HttpEndpoints { get; init; } = DefaultHttpEndpoints;

    public int LatencyEndpoints { get; init; } = DefaultLatencyEndpoints;

    public int LatencyMs { get; init; } = DefaultLatencyMs;

    public int Concurrency { get; init; } = DefaultConcurrency;

    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Runs of each measurement; the table shows the one with the median wall time.</summary>
    public int Repeat { get; init; } = DefaultRepeat;

    public required string Work { get; init; }

    public required string Out { get; init; }

    /// <summary>Keep the outputs of each run (they are deleted after their rows are counted otherwise).</summary>
    public bool Keep { get; init; }

    public static string Usage => $"""
        Etl benchmarks: the real etl CLI against DuckDB and a Python aiohttp client on generated data.

        Usage:
          dotnet run -c Release --project tests/Etl.Benchmarks -- <command> [options]

        Commands:
          all                 every scenario below, then the table
          files               csv-parquet, ndjson-parquet, csv-filter, json-array, csv-wide
          http                http-latency, http-throughput, http-adaptive, http-ratelimit, http-healthy-adaptive, http-bulk
          csv-parquet | ndjson-parquet | csv-filter | json-array | csv-wide | memory | partitions | http-latency | http-throughput
          | http-adaptive | http-ratelimit | http-healthy-adaptive | http-bulk   (one or more)
          generate            only generate the data
          micro [args]        BenchmarkDotNet hot paths (args go to BenchmarkDotNet, e.g. --filter *Csv*)
          sink-write [R] [N]  the writer stage alone, stopwatch-timed: R rows (default 1,000,000) N times (default 5)
          baseline-duckdb SQL (internal) run SQL with DuckDB.NET in this process

        Options:
          --rows N            orders in the CSV (default {DefaultRows:N0})
          --json-rows N       orders in the NDJSON (default {DefaultJsonRows:N0})
          --memory-rows N     N of the memory scenario: N and 10 x N rows (default {DefaultMemoryRows:N0}); also the
                              rows of partitions (into 20,000 partitions)
          --json-array-mb N   size of the JSON array of json-array, in MB (default {DefaultJsonArrayMb:N0})
          --http-endpoints N  requests of http-throughput (default {DefaultHttpEndpoints:N0})
          --latency-endpoints N  requests of http-latency (default {DefaultLatencyEndpoints:N0})
          --latency-ms N      server latency of http-latency (default {DefaultLatencyMs})
          --concurrency N     HTTP concurrency of both clients (default {DefaultConcurrency})
          --seed N            data generator seed (default {DefaultSeed})
          --repeat N          runs of each measurement, median wall reported (default {DefaultRepeat})
          --work DIR          data, specs and outputs (default {DefaultWork}/ at the repository root)
          --out DIR           results files (default {DefaultOut}/ at the repository root)
          --keep              keep the outputs of every run
        """;

    /// <summary>Parses options after the command words; returns the options and the command words.</summary>
    public static (BenchOptions Options, List<string> Commands) Parse(IReadOnlyList<string> args, string repoRoot)
    {
        var commands = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var keep = false;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--keep")
            {
                keep = true;
            }
            else if (a.StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{a}: expected a value");
                }
                values[a] = args[++i];
            }
            else
            {
                commands.Add(a);
            }
        }
        var known = new[] { "--rows", "--json-rows", "--memory-rows", "--json-array-mb", "--http-endpoints", "--latency-endpoints", "--latency-ms", "--concurrency", "--seed", "--repeat", "--work", "--out" };
        foreach (var key in values.Keys.Where(k => !known.Contains(k)))
        {
            throw new ArgumentException($"unknown option {key}; expected one of {string.Join(", ", known)}, --keep");
        }
        long Long(string name, long fallback, long min)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return fallback;
            }
            if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var v) || v < min)
            {
                throw new ArgumentException($"{name}: expected a whole number >= {min}; got \"{text}\"");
            }
            return v;
        }
        var options = new BenchOptions
        {
            Rows = Long("--rows", DefaultRows, 1),
            JsonRows = Long("--json-rows", DefaultJsonRows, 1),
            MemoryRows = Long("--memory-rows", DefaultMemoryRows, 1),
            JsonArrayMb = Long("--json-array-mb", DefaultJsonArrayMb, 1),
            HttpEndpoints = (int)Long("--http-endpoints", DefaultHttpEndpoints, 1),
            LatencyEndpoints = (int)Long("--latency-endpoints", DefaultLatencyEndpoints, 1),
            LatencyMs = (int)Long("--latency-ms", DefaultLatencyMs, 0),
            Concurrency = (int)Long("--concurrency", DefaultConcurrency, 1),
            Seed = (int)Long("--seed", DefaultSeed, 0),
            Repeat = (int)Long("--repeat", DefaultRepeat, 1),
            Work = Path.GetFullPath(values.GetValueOrDefault("--work") ?? Path.Combine(repoRoot, DefaultWork)),
            Out = Path.GetFullPath(values.GetValueOrDefault("--out") ?? Path.Combine(repoRoot, DefaultOut)),
            Keep = keep,
        };
        return (options, commands);
    }
}
