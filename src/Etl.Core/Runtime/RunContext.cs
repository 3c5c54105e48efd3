// What every component of one run shares: ids, counters, dead letters, secrets, time and logging.
using Etl.Lake;
using Etl.Spec;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Runtime;

public sealed class RunContext
{
    public required string RunId { get; init; }

    public required LoadedSpec Spec { get; init; }

    public RunCounters Counters { get; } = new();

    public required DeadLetterWriter DeadLetters { get; init; }

    public Redactor Secrets => Spec.Secrets;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Deterministic randomness (jitter) when a seed is given, as tests need.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Named steps (write, commit-start…) where a test can stop the run; nothing in a normal run.</summary>
    public Checkpoint Checkpoint { get; init; } = Checkpoints.None;

    /// <summary>The share of the work this process does when the run is split into shards; null: all of it.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Whether this process reads the file (or other unit of work) named <paramref name="key"/>.</summary>
    public bool Owns(string key) => Shard?.Owns(key) ?? true;

    /// <summary>Whether this process reads the file at <paramref name="path"/>, found by the source path <paramref name="pattern"/>.</summary>
    public bool OwnsFile(string pattern, string path) => Owns(Shard.FileKey(pattern, path));

    /// <summary>Total work a source knows ahead (bytes of files, number of requests), for progress bars.</summary>
    public ProgressTotals Progress { get; } = new();
}

public sealed class ProgressTotals
{
    private long _done;

    public long? Total { get; set; }

    public string Unit { get; set; } = "bytes";

    public long Done => Interlocked.Read(ref _done);

    public void Advance(long n) => Interlocked.Add(ref _done, n);

    public void SetDone(long n) => Interlocked.Exchange(ref _done, n);
}
