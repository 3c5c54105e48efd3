// A nested Parquet column (struct, list, map, or a legacy repeated field) assembled from its leaf columns' repetition and
// definition levels (Dremel), into the records and lists a JSON source gives; null list elements and empty lists kept.
using Etl.Columns;
using Etl.Records;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace Etl.Sources;

internal sealed class ParquetNestedColumn
{
    private readonly Dictionary<DataField, ParquetLeaf> _leaves;
    private readonly ParquetValueErrors _errors;
    private readonly string _column;
    private int _row;

    private ParquetNestedColumn(Dictionary<DataField, ParquetLeaf> leaves, ParquetValueErrors errors, string column) =>
        (_leaves, _errors, _column) = (leaves, errors, column);

    /// <summary>The <paramref name="rows"/> values of top-level field <paramref name="field"/> in a row group; a row
    /// holding a value that does not convert is noted in <paramref name="errors"/>.</summary>
    public static async Task<Column> ReadAsync(ParquetRowGroupReader group, Field field, int rows, ParquetRawTypes rawTypes,
        ParquetValueErrors errors, CancellationToken ct)
    {
        var leaves = new Dictionary<DataField, ParquetLeaf>();
        foreach (var leaf in Leaves(field))
        {
            leaves[leaf] = await ParquetLeaf.ReadAsync(group, leaf, rawTypes, ct);
        }
        var column = new ParquetNestedColumn(leaves, errors, field.Name);
        var values = new object?[rows];
        for (var r = 0; r < rows; r++)
        {
            column._row = r;
            values[r] = column.Value(field);
        }
        return ColumnOfValues.From(values, rows);
    }

    /// <summary>A leaf's next value; one that does not convert fails the row and reads as null.</summary>
    private object? Leaf(DataField data)
    {
        var value = _leaves[data].Next();
        if (value is ParquetBadValue bad)
        {
            _errors.Add(_row, _column, string.Join('.', data.Path.ToList()), bad);
            return null;
        }
        return value;
    }

    private object? Value(Field field) => field switch
    {
        DataField { IsArray: true } repeated => Repeated(repeated),
        DataField data => Leaf(data),
        StructField group => Struct(group),
        ListField list => Repeated(list, () => Value(list.Item)),
        MapField map => Map(map),
        _ => throw new NotSupportedException($"column '{field.Path}': Parquet field kind {field.SchemaType} is not supported"),
    };

    private Record? Struct(StructField group)
    {
        if (First(group).PeekDefinition() < group.MaxDefinitionLevel)
        {
            Skip(group);
            return null;
        }
        var record = new Record(group.Fields.Count);
        foreach (var child in group.Fields)
        {
            record.Set(child.Name, Value(child));
        }
        return record;
    }

    private Record? Map(MapField map)
    {
        var entries = Repeated(map, () => (Value(map.Key), Value(map.Value)));
        if (entries is null)
        {
            return null;
        }
        var record = new Record(entries.Count);
        foreach (var (key, value) in entries)
        {
            record.Set(Convert.ToString(key, System.Globalization.CultureInfo.InvariantCulture) ?? "", value);
        }
        return record;
    }

    /// <summary>A repeated level (a list's or map's slot): null when the field is null, empty when it has no element,
    /// otherwise every element up to the first entry that does not repeat at this level.</summary>
    private List<T>? Repeated<T>(Field field, Func<T> element)
    {
        var first = First(field);
        var defined = first.PeekDefinition();
        if (defined < field.MaxDefinitionLevel)
        {
            Skip(field);
            return defined < field.MaxDefinitionLevel - 1 ? null : [];
        }
        var items = new List<T>();
        do
        {
            items.Add(element());
        }
        while (first.PeekRepetition() == field.MaxRepetitionLevel);
        return items;
    }

    /// <summary>A repeated primitive without a LIST group (older writers): never null, empty below its level.</summary>
    private List<object?> Repeated(DataField field)
    {
        return Repeated<object?>(field, () => Leaf(field)) ?? [];
    }

    private ParquetLeaf First(Field field) => _leaves[Leaves(field).First()];

    /// <summary>Passes over one entry of every leaf below <paramref name="field"/>: a null or empty value has exactly one.</summary>
    private void Skip(Field field)
    {
        foreach (var leaf in Leaves(field))
        {
            _leaves[leaf].Next();
        }
    }

    /// <summary>The leaf columns below <paramref name="field"/>, in file order.</summary>
    public static IEnumerable<DataField> Leaves(Field field) => field switch
    {
        DataField data => [data],
        StructField group => group.Fields.SelectMany(Leaves),
        ListField list => Leaves(list.Item),
        MapField map => Leaves(map.Key).Concat(Leaves(map.Value)),
        _ => [],
    };
}
