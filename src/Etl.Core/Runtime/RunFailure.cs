// What went wrong in a run, as a status a scheduler reads (exit code) and the error a person reads.
using Etl.Lake;

namespace Etl.Runtime;

internal sealed record RunFailure(RunStatus Status, Exception Error)
{
    /// <summary>The status and error of an exception that ended the run's work, telling Ctrl+C from a timeout from a
    /// lost commit from a failure.</summary>
    public static RunFailure From(Exception e, double? timeoutSeconds, CancellationToken cancelled, CancellationToken timedOut) => e switch
    {
        CommitConflictException => new(RunStatus.Conflict, e),
        OperationCanceledException when cancelled.IsCancellationRequested =>
            new(RunStatus.Cancelled, new OperationCanceledException("cancelled; nothing was committed, the sinks hold what they held before", e)),
        OperationCanceledException when timedOut.IsCancellationRequested =>
            new(RunStatus.Failed, new TimeoutException($"the run did not finish within timeoutSeconds ({timeoutSeconds}s)")),
        _ => new(cancelled.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed, Unwrap(e)),
    };

    /// <summary>The failure when the run finished its work but failed more records or requests than the spec allows.</summary>
    public static RunFailure? FromLimits(RunContext run)
    {
        var errors = run.Spec.Spec.Errors;
        var (maxRecords, maxRequests) = (errors?.MaxFailedRecords ?? 0, errors?.MaxFailedRequests ?? 0);
        var c = run.Counters;
        if (c.FailedRequests > maxRequests)
        {
            return new(RunStatus.TooManyFailures, new InvalidOperationException(
                $"{c.FailedRequests} request(s) failed, more than errors.maxFailedRequests ({maxRequests}); nothing was committed; see {run.DeadLetters.FilePath}"));
        }
        return c.Failed > maxRecords
            ? new(RunStatus.TooManyFailures, new InvalidOperationException(
                $"{c.Failed} record(s) failed, more than errors.maxFailedRecords ({maxRecords}); nothing was committed; see {run.DeadLetters.FilePath}"))
            : null;
    }

    /// <summary>The first real error inside aggregates (not the cancellations it caused).</summary>
    public static Exception Unwrap(Exception e) => e switch
    {
        AggregateException { InnerExceptions.Count: > 0 } a => Unwrap(a.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException) ?? a.InnerExceptions[0]),
        _ => e,
    };
}
