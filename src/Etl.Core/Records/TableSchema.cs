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

    public int Count => Columns.Count;

    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    public TableSchema Without(IReadOnlyCollection<string> names) =>
        new([.. Columns.Where(c => !names.Contains(c.Name))]);

    public static TableSchema FromSpec(IReadOnlyDictionary<string, string> declared) =>
        new([.. declared.Select(kv => new SchemaColumn(kv.Key, ColumnType.Parse(kv.Value)))]);
}
