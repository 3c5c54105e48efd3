// Adds (or replaces) a column computed from an expression over the record.
using System.ComponentModel;
using System.Runtime.CompilerServices;
using Etl.Columns;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record DeriveTransformSpec : TransformSpec, IValidatableSpec
{
    [Description("Name of the column to set.")]
    public required string Column { get; init; }

    [Description("Expression over the record's columns, in C# syntax: amount * 100.")]
    public required string Expression { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) =>
        RecordExpression.CheckSyntax(Expression) is { } error ? [($"{path}.expression", error)] : [];
}

public sealed class DeriveTransform : IBatchTransform
{
    private readonly DeriveTransformSpec _spec;
    private readonly RecordExpression _expression;
    private readonly ColumnExpression _columns;

    // The names of a shape with the derived column appended, shared by every batch of that shape.
    private readonly ConditionalWeakTable<string[], string[]> _appended = [];
    private readonly ConditionalWeakTable<string[], string[]>.CreateValueCallback _append;

    public DeriveTransform(DeriveTransformSpec spec)
    {
        _spec = spec;
        _expression = new RecordExpression(spec.Expression);
        _columns = new ColumnExpression(_expression);
        _append = names => [.. names, spec.Column];
    }

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<DeriveTransformSpec>(
        "derive", "Adds a column computed from an expression.", (s, _) => new DeriveTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        var value = _expression.Evaluate(record);
        record.Set(_spec.Column, value is int i ? (long)i : value);
        output.Add(record);
    }

    /// <summary>The batch with the computed column where Record.Set puts it: in place of a column of that name, else last.</summary>
    public BatchOutput? TryApply(ColumnBatch batch)
    {
        if (_columns.Derive(batch) is not { } column)
        {
            return null;
        }
        var at = batch.IndexOf(_spec.Column);
        if (at < 0)
        {
            return new BatchOutput(batch.WithColumns(_appended.GetValue(batch.Names, _append), [.. batch.Columns, column]));
        }
        var columns = (Column[])batch.Columns.Clone();
        columns[at] = column;
        return new BatchOutput(batch.WithColumns(batch.Names, columns));
    }
}
