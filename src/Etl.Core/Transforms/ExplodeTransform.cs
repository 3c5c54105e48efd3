// Turns one record holding an array into one record per element.
using System.ComponentModel;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record ExplodeTransformSpec : TransformSpec, IValidatableSpec
{
    [Description("Dotted path to the array.")]
    public required string Path { get; init; }

    [Description("Column that holds the element (default: the last name of the path). An element that is an object can then be read with select: \"item.sku\".")]
    public string? As { get; init; }

    [Description("Keep a record with a null element when the array is empty or missing (Spark's explode_outer). Default false: such records are dropped and counted as filtered.")]
    public bool Outer { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) => SpecChecks.CheckPath(Path, $"{path}.path");
}

public sealed class ExplodeTransform(ExplodeTransformSpec spec) : ITransform
{
    private readonly RecordPath _path = RecordPath.Parse(spec.Path);
    private readonly string _as = spec.As ?? RecordPath.Parse(spec.Path).Text.Split('.')[^1].Split('[')[0];

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<ExplodeTransformSpec>(
        "explode", "One record per element of an array.", (s, _) => new ExplodeTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        var value = _path.Read(record);
        if (value is not IReadOnlyList<object?> list || list.Count == 0)
        {
            if (value is not null and not IReadOnlyList<object?>)
            {
                throw new RecordException($"explode: '{spec.Path}' is not an array", spec.Path, value);
            }
            if (spec.Outer)
            {
                var kept = record.Clone();
                RemoveSource(kept);
                kept.Set(_as, null);
                output.Add(kept);
            }
            return;
        }
        foreach (var element in list)
        {
            var copy = record.Clone();
            RemoveSource(copy);
            copy.Set(_as, element);
            output.Add(copy);
        }
    }

    // The array itself is not repeated on every output record when it sits at the top level.
    private void RemoveSource(Record r)
    {
        if (_path.IsSimple && _path.Root != _as)
        {
            r.Remove(_path.Root);
        }
    }
}
