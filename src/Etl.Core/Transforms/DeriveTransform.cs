// Adds (or replaces) a column computed from an expression over the record.
using System.ComponentModel;
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

public sealed class DeriveTransform(DeriveTransformSpec spec) : ITransform
{
    private readonly RecordExpression _expression = new(spec.Expression);

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<DeriveTransformSpec>(
        "derive", "Adds a column computed from an expression.", (s, _) => new DeriveTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        var value = _expression.Evaluate(record);
        record.Set(spec.Column, value is int i ? (long)i : value);
        output.Add(record);
    }
}
