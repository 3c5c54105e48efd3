// Keeps only the named output columns, each read from a dotted path of the input record.
using System.ComponentModel;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record SelectTransformSpec : TransformSpec, IValidatableSpec
{
    [Description("Output column → dotted path in the input (\"customer.country\", \"items[0].sku\", \"$request.id\").")]
    public required Dictionary<string, string> Columns { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) =>
        Columns.SelectMany(kv => SpecChecks.CheckPath(kv.Value, $"{path}.columns.{kv.Key}"));
}

public sealed class SelectTransform : ITransform
{
    private readonly string[] _names;
    private readonly RecordPath[] _paths;

    public SelectTransform(SelectTransformSpec spec)
    {
        _names = [.. spec.Columns.Keys];
        _paths = [.. spec.Columns.Values.Select(RecordPath.Parse)];
    }

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<SelectTransformSpec>(
        "select", "Keeps the named columns, read from dotted paths.", (s, _) => new SelectTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        var values = new object?[_names.Length];
        for (var i = 0; i < _paths.Length; i++)
        {
            values[i] = _paths[i].Read(record);
        }
        var selected = new Record(_names, values);
        selected.CopyOriginFrom(record);
        output.Add(selected);
    }
}
