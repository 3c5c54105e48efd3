// Turns one record holding an array into one record per element.
using System.ComponentModel;
using Etl.Columns;
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

public sealed class ExplodeTransform(ExplodeTransformSpec spec) : ICarriedColumns
{
    private readonly RecordPath _path = RecordPath.Parse(spec.Path);
    private readonly string _as = spec.As ?? RecordPath.Parse(spec.Path).Text.Split('.')[^1].Split('[')[0];

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<ExplodeTransformSpec>(
        "explode", "One record per element of an array.", (s, _) => new ExplodeTransform(s));

    // The input columns the batch kernel carries (null: all).
    private IReadOnlySet<string>? Carried { get; init; }

    public IBatchTransform CarryingOnly(IReadOnlySet<string> read) => new ExplodeTransform(spec) { Carried = read };

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

    /// <summary>The batch kernel for a top-level array: each element's parent row, the other columns gathered by it.
    /// Null (the record path) for a nested path or a value that is not an array.</summary>
    public BatchOutput? TryApply(ColumnBatch batch)
    {
        if (!_path.IsSimple)
        {
            return null;
        }
        var at = batch.IndexOf(_path.Root);
        if (at < 0)
        {
            // No row has the array: each is dropped, or kept once with a null element (outer).
            var kept = spec.Outer ? Enumerable.Range(0, batch.RowCount).ToArray() : [];
            return Output(batch, at, kept, new ValueColumn(new object?[kept.Length], kept.Length), spec.Outer ? 0 : batch.RowCount, 0);
        }
        if (batch.Columns[at] is JsonTextColumn text)
        {
            return text.Explode(spec.Outer) is var (items, rowsOf, dropped, extra)
                ? Output(batch, at, rowsOf, items, dropped, extra)
                : null;
        }
        if (ElementCount(batch.Columns[at]) is not var (rows, filtered, added))
        {
            return null;
        }
        var parents = new int[rows];
        var elements = new object?[rows];
        var source = batch.Columns[at];
        var row = 0;
        for (var r = 0; r < source.Length; r++)
        {
            if (source.GetValue(r) is IReadOnlyList<object?> { Count: > 0 } list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    parents[row] = r;
                    elements[row++] = list[i];
                }
            }
            else if (spec.Outer)
            {
                parents[row++] = r; // the element stays null
            }
        }
        return Output(batch, at, parents, ColumnOfValues.From(elements, rows), filtered, added);
    }

    private BatchOutput Output(ColumnBatch batch, int at, int[] parents, Column element, int filtered, int added)
    {
        var (names, columns) = Columns(batch, at, parents, element);
        return new BatchOutput(new ColumnBatch(names, columns, parents.Length, batch.Origins?.Gather(parents)), filtered, added);
    }

    /// <summary>Output rows, parents that make none (filtered) and rows beyond one per parent (added), as the record
    /// path counts them; null when a value is not an array (the record path dead-letters it).</summary>
    private (int Rows, int Filtered, int Added)? ElementCount(Column source)
    {
        int rows = 0, filtered = 0, added = 0;
        for (var r = 0; r < source.Length; r++)
        {
            var value = source.GetValue(r);
            var count = value switch
            {
                null => 0,
                IReadOnlyList<object?> list => list.Count,
                _ => -1,
            };
            if (count < 0)
            {
                return null;
            }
            if (count == 0)
            {
                rows += spec.Outer ? 1 : 0;
                filtered += spec.Outer ? 0 : 1;
            }
            else
            {
                rows += count;
                added += count - 1;
            }
        }
        return (rows, filtered, added);
    }

    /// <summary>The record path's shape: the array's column removed (unless it is also the element's name), the element
    /// set in place where its name exists, appended otherwise.</summary>
    private (string[] Names, Column[] Columns) Columns(ColumnBatch batch, int at, int[] parents, Column element)
    {
        var names = batch.Names;
        var outputNames = new List<string>(names.Length + 1);
        var outputColumns = new List<Column>(names.Length + 1);
        for (var c = 0; c < names.Length; c++)
        {
            if ((c == at && _path.Root != _as) || (Carried is { } carried && names[c] != _as && !carried.Contains(names[c])))
            {
                continue;
            }
            outputNames.Add(names[c]);
            outputColumns.Add(names[c] == _as ? element : batch.Columns[c].Gather(parents));
        }
        if (!outputNames.Contains(_as))
        {
            outputNames.Add(_as);
            outputColumns.Add(element);
        }
        return (SharedNames(names, outputNames), [.. outputColumns]);
    }

    private sealed record NamesCache(string[] Input, string[] Output);

    private NamesCache? _names;

    /// <summary>One output name array per input shape (batches of one shape keep sharing names downstream).</summary>
    private string[] SharedNames(string[] input, List<string> output)
    {
        if (_names is { } cached && ReferenceEquals(cached.Input, input))
        {
            return cached.Output;
        }
        var created = new NamesCache(input, [.. output]);
        _names = created;
        return created.Output;
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
