// What a transform is: a function from one record to zero or more records.
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
