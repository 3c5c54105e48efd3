// Named steps of a run that tests can stop at; in a normal run a checkpoint does nothing.
namespace Etl.Lake;

public static class Checkpoints
{
    /// <summary>The checkpoint of a normal run: goes straight on.</summary>
    public static Checkpoint None { get; } = (_, _) => Task.CompletedTask;
}

/// <summary>A named step of a run (write, commit-start, commit-rename, commit-log, commit-manifest) that a test can stop at.</summary>
public delegate Task Checkpoint(string point, CancellationToken cancellationToken);
