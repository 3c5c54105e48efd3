// Thrown when another run committed to the sink folder first in a way this run's commit cannot be laid on top of.
namespace Etl.Lake;

/// <summary>A concurrent commit won: an overwrite of the same data, or a cursor advanced under an incremental run.
/// Nothing of this run is committed; the message names the run that won.</summary>
public sealed class CommitConflictException(string message, LogEntry winner) : IOException(message)
{
    public LogEntry Winner { get; } = winner;
}
