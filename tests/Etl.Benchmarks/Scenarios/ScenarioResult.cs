// What one scenario measured: one row per runner (etl, then its baseline), and the targets checked against them.
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Scenarios;

/// <summary>One measured (or skipped) run of one runner on one scenario's input.</summary>
public sealed record RunnerResult
{
    public required string Runner { get; init; }

    /// <summary>Rows read or requests made: what throughput is counted in.</summary>
    public required long Items { get; init; }

    /// <summary>"rows" or "requests".</summary>
    public required string Unit { get; init; }

    public Measurement? Measurement { get; init; }

    /// <summary>Rows in the output, counted afterwards with DuckDB (records for HTTP clients).</summary>
    public long? OutputRows { get; init; }

    /// <summary>Why the runner did not run or did not succeed; shown instead of figures.</summary>
    public string? Problem { get; init; }

    /// <summary>Scenario-specific figures: TCP connections, CPU-ms per request, in-process time.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public bool Ok => Problem is null && Measurement is { ExitCode: 0 };

    public double? Throughput => Ok && Measurement!.Wall.TotalSeconds > 0 ? Items / Measurement.Wall.TotalSeconds : null;
}

/// <summary>A target of the issue and whether it is met; Met is null when it could not be measured.</summary>
public sealed record TargetCheck(string Target, string Measured, bool? Met);

public sealed record ScenarioResult
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required IReadOnlyList<RunnerResult> Runs { get; init; }

    public IReadOnlyList<TargetCheck> Targets { get; init; } = [];
}
