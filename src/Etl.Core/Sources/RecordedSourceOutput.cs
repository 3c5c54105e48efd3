// What a source sent while reading a part of its input ahead of its turn (a chunk parsed in parallel), kept in order
// until the parts before it have been sent.
using Etl.Columns;
using Etl.Records;
using Etl.Runtime;

namespace Etl.Sources;

/// <param name="position">Where in the input the reader is, noted with each batch for progress.</param>
internal sealed class RecordedSourceOutput(int batchRows, Func<long> position) : ISourceOutput
{
    // Batches (with the position after them), records and dead letters, in the order they came.
    private readonly List<object> _items = [];

    public int BatchRows => batchRows;

    public ValueTask SendAsync(Record record, CancellationToken cancellationToken)
    {
        _items.Add(record);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        _items.Add((batch, position()));
        return ValueTask.CompletedTask;
    }

    public void Reject(string origin, string reason, string? raw) => _items.Add(new Rejection(origin, reason, raw, null, null, IsValue: false));

    public void RejectValue(string origin, string column, string? value, string reason, string? raw) =>
        _items.Add(new Rejection(origin, reason, raw, column, value, IsValue: true));

    public void RejectRequest(DeadLetter letter) => _items.Add(letter);

    /// <summary>Sends everything recorded to <paramref name="output"/>, in order, telling <paramref name="progress"/>
    /// the input position after each batch.</summary>
    public async ValueTask ReplayAsync(ISourceOutput output, Action<long> progress, CancellationToken cancellationToken)
    {
        foreach (var item in _items)
        {
            switch (item)
            {
                case (ColumnBatch batch, long position):
                    await output.SendBatchAsync(batch, cancellationToken);
                    progress(position);
                    break;
                case Record record:
                    await output.SendAsync(record, cancellationToken);
                    break;
                case Rejection { IsValue: true } r:
                    output.RejectValue(r.Origin, r.Column!, r.Value, r.Reason, r.Raw);
                    break;
                case Rejection r:
                    output.Reject(r.Origin, r.Reason, r.Raw);
                    break;
                case DeadLetter letter:
                    output.RejectRequest(letter);
                    break;
            }
        }
        _items.Clear();
    }

    private sealed record Rejection(string Origin, string Reason, string? Raw, string? Column, string? Value, bool IsValue);
}
