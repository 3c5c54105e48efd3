// How a run is carried out beyond its spec: clock, logging, randomness, progress hooks and test checkpoints.
using Etl.Lake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Runtime;

public sealed record RunOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;
    public ILogger Logger { get; init; } = NullLogger.Instance;
    public int? Seed { get; init; }

    /// <summary>Called once the run's context exists, so a progress display can watch its counters.</summary>
    public Action<RunContext>? OnStart { get; init; }

    /// <summary>Ignore the incremental state: read from the source's <c>initial</c> cursor (or everything) again.</summary>
    public bool FullRefresh { get; init; }

    /// <summary>Run as one shard of a run split into several: do this shard's share of the work, write its files and a
    /// shard manifest, commit nothing (<c>etl commit</c> does, once every shard is complete).</summary>
    public Shard? Shard { get; init; }

    /// <summary>Called at named steps of the run (write, commit-start, commit-rename, commit-log, commit-manifest), so end-to-end
    /// tests can stop a real process at an exact point; set at the CLI edge.</summary>
    public Checkpoint Checkpoint { get; init; } = Checkpoints.None;
}
