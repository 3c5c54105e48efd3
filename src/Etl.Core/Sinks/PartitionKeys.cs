// The partition folder of each row of a conformed batch ("country=FR/day=2026-11-28"), read from the typed columns:
// partition columns repeat few values, so each value's folder segment is made once, not once per row.
using Etl.Columns;
using Etl.Lake;
using Etl.Records;

namespace Etl.Sinks;

internal sealed class PartitionKeys
{
    /// <summary>Segments remembered per column; past this many distinct values the cache starts again, so a column
    /// of unique values does not grow it without bound.</summary>
    private const int MaxCachedValues = 4096;

    private readonly int[] _columns;
    private readonly SegmentCache[] _caches;
    private readonly string[] _parts;

    public PartitionKeys(TableSchema schema, int[] columns)
    {
        _columns = columns;
        _caches = [.. columns.Select(c => SegmentCache.For(schema.Columns[c]))];
        _parts = new string[columns.Length];
    }

    /// <summary>The partition of row <paramref name="row"/>, as <see cref="PartitionPath.Segment"/> joins it.</summary>
    public string KeyAt(ColumnBatch batch, int row)
    {
        if (_columns.Length == 1)
        {
            return _caches[0].SegmentAt(batch.Columns[_columns[0]], row);
        }
        for (var i = 0; i < _columns.Length; i++)
        {
            _parts[i] = _caches[i].SegmentAt(batch.Columns[_columns[i]], row);
        }
        return string.Join('/', _parts);
    }

    private abstract class SegmentCache(string name)
    {
        private string? _null;

        public string SegmentAt(Column column, int row) =>
            column.IsNull(row) ? _null ??= PartitionPath.Segment(name, null) : ValueSegment(column, row);

        protected abstract string ValueSegment(Column column, int row);

        protected string Make(object value) => PartitionPath.Segment(name, value);

        public static SegmentCache For(SchemaColumn column) => column.Type.Kind switch
        {
            ColumnKind.String => new Strings(column.Name),
            ColumnKind.Bool => new Typed<bool>(column.Name),
            ColumnKind.Int32 => new Typed<int>(column.Name),
            ColumnKind.Int64 => new Typed<long>(column.Name),
            ColumnKind.Double => new Typed<double>(column.Name),
            ColumnKind.Decimal => new Typed<decimal>(column.Name),
            ColumnKind.Date => new Typed<DateOnly>(column.Name),
            ColumnKind.Timestamp => new Typed<DateTime>(column.Name),
            _ => new Boxed(column.Name),
        };

        protected static string Remember<TKey>(Dictionary<TKey, string> cache, TKey key, string segment)
            where TKey : notnull
        {
            if (cache.Count >= MaxCachedValues)
            {
                cache.Clear();
            }
            cache.Add(key, segment);
            return segment;
        }
    }

    private sealed class Typed<T>(string name) : SegmentCache(name)
        where T : struct
    {
        // Values that are equal but print differently are told apart: decimals 1.5 and 1.50 by scale, doubles 0 and -0
        // by sign.
        private readonly Dictionary<(T Value, int Tag), string> _cache = [];

        protected override string ValueSegment(Column column, int row)
        {
            var value = ((TypedColumn<T>)column).Values[row];
            var key = (value, value switch
            {
                decimal m => m.Scale,
                double d => double.IsNegative(d) ? 1 : 0,
                _ => 0,
            });
            return _cache.TryGetValue(key, out var segment) ? segment : Remember(_cache, key, Make(value));
        }
    }

    private sealed class Strings(string name) : SegmentCache(name)
    {
        private readonly Dictionary<string, string> _cache = new(StringComparer.Ordinal);

        protected override string ValueSegment(Column column, int row)
        {
            var value = ((StringColumn)column).Values[row]!;
            return _cache.TryGetValue(value, out var segment) ? segment : Remember(_cache, value, Make(value));
        }
    }

    private sealed class Boxed(string name) : SegmentCache(name)
    {
        protected override string ValueSegment(Column column, int row) => Make(column.GetValue(row)!);
    }
}
