// Keeps only the named output columns, each read from a dotted path of the input record.
using System.ComponentModel;
using Etl.Columns;
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

public sealed class SelectTransform : IBatchTransform
{
    private readonly string[] _names;
    private readonly RecordPath[] _paths;
    private readonly IReadOnlyList<(string? Name, int Index)>[] _below;

    public SelectTransform(SelectTransformSpec spec)
    {
        _names = [.. spec.Columns.Keys];
        _paths = [.. spec.Columns.Values.Select(RecordPath.Parse)];
        _below = [.. _paths.Select(p => p.Steps is { } steps ? steps.Skip(1).ToList() : [])];
    }

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<SelectTransformSpec>(
        "select", "Keeps the named columns, read from dotted paths.", (s, _) => new SelectTransform(s));

    /// <summary>The batch kernel: a top-level field's column is shared as it is, a deeper path is read row by row from
    /// it (from JSON text, fields of one object in one pass). Null (the record path) for <c>$request.</c> and
    /// <c>$parent.</c> paths, which column batches do not carry.</summary>
    public BatchOutput? TryApply(ColumnBatch batch)
    {
        if (!_paths.All(p => p.ReadsFields))
        {
            return null;
        }
        var columns = new Column?[_paths.Length];
        ReadFieldsOfText(batch, columns);
        for (var i = 0; i < _paths.Length; i++)
        {
            if (columns[i] is not null)
            {
                continue;
            }
            var path = _paths[i];
            var at = batch.IndexOf(path.Root);
            columns[i] = at < 0 ? new ValueColumn(new object?[batch.RowCount], batch.RowCount)
                : path.Length == 1 ? batch.Columns[at]
                : batch.Columns[at] is JsonTextColumn text ? text.ReadColumnBelow(_below[i])
                : ReadBelowRoot(path, batch.Columns[at]);
        }
        return new BatchOutput(batch.WithColumns(_names, columns!));
    }

    /// <summary>Fills the outputs of "object.field" paths into JSON text columns, one pass over each object for all
    /// the fields read from it.</summary>
    private void ReadFieldsOfText(ColumnBatch batch, Column?[] columns)
    {
        foreach (var group in Enumerable.Range(0, _paths.Length).Where(i => _below[i] is [(not null, _)]).GroupBy(i => _paths[i].Root))
        {
            if (batch.IndexOf(group.Key) is var at && at >= 0 && batch.Columns[at] is JsonTextColumn text)
            {
                var outputs = group.ToArray();
                var read = text.ReadFields([.. outputs.Select(i => _below[i][0].Name!)]);
                for (var k = 0; k < outputs.Length; k++)
                {
                    columns[outputs[k]] = read[k];
                }
            }
        }
    }

    private static Column ReadBelowRoot(RecordPath path, Column root)
    {
        var values = new object?[root.Length];
        for (var r = 0; r < values.Length; r++)
        {
            values[r] = path.ReadBelowRoot(root.GetValue(r));
        }
        return ColumnOfValues.From(values, values.Length);
    }

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
