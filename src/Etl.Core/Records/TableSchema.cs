// The columns a run writes: names and types in output order, fixed for the whole run.
namespace Etl.Records;

public sealed record SchemaColumn(string Name, ColumnType Type);

public sealed class TableSchema
{
    private readonly Dictionary<string, int> _index;

    public TableSchema(IReadOnlyList<SchemaColumn> columns)
    {
        Columns = columns;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            _index[columns[i].Name] = i;
        }
    }

    public IReadOnlyList<SchemaColumn> Columns { get; }

    /// <summary>0 for the schema fixed from the first batch; each evolution of a run's schema counts up.</summary>
    public int Version { get; init; }

    public int Count => Columns.Count;

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Rows made under an earlier version of this schema (fewer columns, narrower types), made to fit it:
    /// missing columns are null and widened values converted. Rows that fit already are returned as they are.</summary>
    public IReadOnlyList<object?[]> Fit(IReadOnlyList<object?[]> rows)
    {
        object?[][]? fitted = null;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var result = row.Length == Count ? row : new object?[Count];
            for (var c = 0; c < Count; c++)
            {
                var value = c < row.Length ? row[c] : null;
                if (!ValueConverter.TryConvert(value, Columns[c].Type, out var converted, out var error))
                {
                    throw new InvalidOperationException($"column '{Columns[c].Name}': a row of an earlier schema does not fit: {error}");
                }
                if (!ReferenceEquals(converted, value) || !ReferenceEquals(result, row))
                {
                    result = ReferenceEquals(result, row) ? (object?[])row.Clone() : result;
                    result[c] = converted;
                }
            }
            if (!ReferenceEquals(result, row))
            {
                fitted ??= [.. rows];
                fitted[r] = result;
            }
        }
        return fitted ?? rows;
    }

    public TableSchema Without(IReadOnlyCollection<string> names) =>
        new([.. Columns.Where(c => !names.Contains(c.Name))]);

    public static TableSchema FromSpec(IReadOnlyDictionary<string, string> declared) =>
        new([.. declared.Select(kv => new SchemaColumn(kv.Key, ColumnType.Parse(kv.Value)))]);
}
