// An ISourceOutput that keeps the batches a source sends as they are (column or record form), and what it rejects.
using System.Globalization;
using System.Text;
using Etl.Columns;
using Etl.Runtime;
using Etl.Sources;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.TestSupport;

public sealed class BatchCollectingOutput : ISourceOutput
{
    public List<ColumnBatch> Batches { get; } = [];

    public List<Rejection> Rejections { get; } = [];

    public int BatchRows { get; init; } = 4096;

    public NestedReads NestedReads { get; init; } = NestedReads.None;

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

    public void RejectRequest(DeadLetter letter) => throw new InvalidOperationException("no requests here");

    /// <summary>Every row of every batch as records, in order.</summary>
    public List<Record> Records => [.. Batches.SelectMany(b => b.ToRecords())];
}

/// <summary>Writes records as text that names every value's type, so two rows compare equal exactly when they hold the
/// same names, values and types (and origins).</summary>
public static class RecordText
{
    public static string Of(Record record) => $"{record.Origin} {Value(record)}";

    public static string Value(object? value) => value switch
    {
        null => "null",
        Record r => "{" + string.Join(", ", Enumerable.Range(0, r.Count).Select(i => $"{r.NameAt(i)}: {Value(r.ValueAt(i))}")) + "}",
        IReadOnlyList<object?> list => "[" + string.Join(", ", list.Select(Value)) + "]",
        string s => "\"" + s + "\"",
        IFormattable f => $"{value.GetType().Name}({f.ToString(null, CultureInfo.InvariantCulture)})",
        _ => $"{value.GetType().Name}({value})",
    };

    /// <summary>UTF-8 bytes of lines joined by <paramref name="newline"/>.</summary>
    public static byte[] Lines(IEnumerable<string> lines, string newline = "\n") => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + newline)));
}
