// What a transform is: a function from one record to zero or more records.
using Etl.Columns;
using Etl.Records;

namespace Etl.Transforms;

public interface ITransform
{
    /// <summary>Adds the records that <paramref name="record"/> becomes to <paramref name="output"/> (none drops it).
    /// Throwing <see cref="RecordException"/> sends the record to the dead-letter file.</summary>
    void Apply(Record record, List<Record> output);
}

/// <summary>A record that cannot be processed; the run goes on without it.</summary>
public sealed class RecordException(string reason, string? column = null, object? value = null) : Exception(reason)
{
    public string? Column { get; } = column;

    public object? Value { get; } = value;
}

/// <summary>A transform that can also work on whole column batches. The runtime applies it to batches in column form
/// and falls back to <see cref="ITransform.Apply"/> record by record when it returns null.</summary>
public interface IBatchTransform : ITransform
{
    /// <summary>The batch that <paramref name="batch"/> (column form) becomes, or null when some row needs the record
    /// path (a row that would fail, a type the kernel does not handle): then nothing may have been done, so that the
    /// record path gives exactly its own results, dead letters included.</summary>
    BatchOutput? TryApply(ColumnBatch batch);
}

/// <summary>A transform's output batch, with what the record path would have counted: input rows that produced no row
/// (<paramref name="Filtered"/>) and rows produced beyond one per input row (<paramref name="Added"/>).</summary>
public readonly record struct BatchOutput(ColumnBatch Batch, int Filtered = 0, int Added = 0);
