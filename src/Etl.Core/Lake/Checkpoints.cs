// Named steps of a run that tests can stop at; in a normal run a checkpoint does nothing.
namespace Etl.Lake;

public static class Checkpoints
{
    /// <summary>The checkpoint of a normal run: goes straight on.</summary>
    public static Checkpoint None { get; } = (_, _) => Task.CompletedTask;
}
