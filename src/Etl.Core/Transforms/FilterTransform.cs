// Keeps the records for which an expression is true; null counts as false.
using System.ComponentModel;
using Etl.Columns;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record FilterTransformSpec : TransformSpec, IValidatableSpec
{
    [Description("Condition over the record's columns, in C# syntax: amount > 100 && country == \"FR\".")]
    public required string Where { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) =>
        RecordExpression.CheckSyntax(Where) is { } error ? [($"{path}.where", error)] : [];
}

public sealed class FilterTransform : IBatchTransform
{
    private readonly FilterTransformSpec _spec;
    private readonly RecordExpression _expression;
    private readonly ColumnExpression _columns;

    public FilterTransform(FilterTransformSpec spec)
    {
        _spec = spec;
        _expression = new RecordExpression(spec.Where);
        _columns = new ColumnExpression(_expression);
    }

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<FilterTransformSpec>(
        "filter", "Keeps records for which a condition holds.", (s, _) => new FilterTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        switch (_expression.Evaluate(record))
        {
            case true:
                output.Add(record);
                break;
            case false or null:
                break;
            case var other:
                throw new RecordException($"filter \"{_spec.Where}\" must be true or false; got {ValueConverter.Describe(other)}");
        }
    }

    /// <summary>The rows where the condition holds, gathered (the whole batch when all do).</summary>
    public BatchOutput? TryApply(ColumnBatch batch)
    {
        if (_columns.Filter(batch, out var count) is not { } keep)
        {
            return null;
        }
        var kept = count == batch.RowCount ? batch : batch.Gather(keep.AsSpan(0, count));
        return new BatchOutput(kept, Filtered: batch.RowCount - count);
    }
}
