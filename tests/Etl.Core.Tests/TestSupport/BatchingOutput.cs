// An ISourceOutput that keeps the column batches a source sends, with a batch size a test chooses.
using Etl.Columns;
using Etl.Runtime;
using Etl.Sources;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.TestSupport;

public sealed class BatchingOutput(int batchRows = 4096) : ISourceOutput
{
    public List<ColumnBatch> Batches { get; } = [];

    public List<Rejection> Rejections { get; } = [];

    public int BatchRows => batchRows;

    public ValueTask SendAsync(Record record, CancellationToken cancellationToken)
    {
        Batches.Add(ColumnBatch.FromRecords([record]));
        return ValueTask.CompletedTask;
    }

    public ValueTask SendBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        Batches.Add(batch);
        return ValueTask.CompletedTask;
    }

    public void Reject(string origin, string reason, string? raw) => Rejections.Add(new Rejection(origin, reason, raw));

    public void RejectValue(string origin, string column, string? value, string reason, string? raw) =>
        Rejections.Add(new Rejection(origin, reason, raw, column, value));

    public void RejectRequest(DeadLetter letter) => throw new InvalidOperationException("a file source made a request");

    /// <summary>Every row sent, in order, as records.</summary>
    public List<Record> Records => [.. Batches.SelectMany(b => b.ToRecords())];

    /// <summary>The origin of every row sent, in order.</summary>
    public List<string?> Origins => [.. Batches.SelectMany(b => Enumerable.Range(0, b.RowCount).Select(b.OriginAt))];
}
