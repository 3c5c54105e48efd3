// An ISourceOutput that keeps what a source sends and rejects, and stops like the mesh when the run is cancelled.
using Etl.Runtime;
using Etl.Sources;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.TestSupport;

/// <summary>One input record a source could not read, as it reported it.</summary>
public sealed record Rejection(string Origin, string Reason, string? Raw, string? Column = null, string? Value = null);

public sealed class CollectingOutput : ISourceOutput
{
    public List<Record> Records { get; } = [];

    public List<Rejection> Rejections { get; } = [];

    public List<DeadLetter> FailedRequests { get; } = [];

    /// <summary>Called after each record is kept (a test cancels the run from here).</summary>
    public Action<Record>? OnRecord { get; init; }

    public ValueTask SendAsync(Record record, CancellationToken cancellationToken)
    {
        // The mesh stops taking records once the run is cancelled; a source that passes its token on stops here.
        cancellationToken.ThrowIfCancellationRequested();
        Records.Add(record);
        OnRecord?.Invoke(record);
        return ValueTask.CompletedTask;
    }

    public void Reject(string origin, string reason, string? raw) => Rejections.Add(new Rejection(origin, reason, raw));

    public void RejectValue(string origin, string column, string? value, string reason, string? raw) =>
        Rejections.Add(new Rejection(origin, reason, raw, column, value));

    public void RejectRequest(DeadLetter letter) => FailedRequests.Add(letter);

    /// <summary>One field of every record, in the order they were sent.</summary>
    public List<object?> Values(string name) => [.. Records.Select(r => r[name])];
}
