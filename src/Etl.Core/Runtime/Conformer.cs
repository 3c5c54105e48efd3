// Turns records into rows of the run's schema: declared types, or types inferred from the first batch, then evolved,
// frozen or narrowed as the spec's schemaChange policy says.
using Etl.Columns;
using Etl.Records;
using Etl.Spec;
using Microsoft.Extensions.Logging;

namespace Etl.Runtime;

public sealed class Conformer(PipelineSpec spec, RunContext run)
{
    // Declared columns the transforms remove type the source only: they are not written.
    private readonly TableSchema? _declared = spec.Columns is { } c ? TableSchema.FromSpec(c).Without(RemovedColumns.Of(spec)) : null;

    // A CSV source told not to infer types keeps undeclared text columns as strings here too.
    private readonly bool _inferText = spec.Source.InfersTextTypes();
    /// <summary>Values the schema sample holds at most: a wide input is sampled over fewer rows, so that its records do
    /// not fill memory before the schema is fixed.</summary>
    public const int MaxSampleValues = 500_000;

    private readonly List<Record> _pending = [];
    private long _pendingValues;
    private readonly int _sampleSize = Math.Max(1, Math.Min((spec.Batch ?? new BatchSpec()).Size, 10_000));
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private readonly List<SchemaChange> _changes = [];
    private readonly Dictionary<string, ColumnType> _sourceTypes = new(StringComparer.Ordinal);
    private TableSchema? _schema;

    // The columns of the first batch a filter left no rows in: for a run that sees no record at all, the schema.
    private (string Name, ColumnType Type)[]? _emptyShape;

    /// <summary>The current schema; each change makes a new instance with a higher version.</summary>
    public TableSchema? Schema => _schema;

    /// <summary>What evolved during the run, in order (empty unless schemaChange is evolve).</summary>
    public IReadOnlyList<SchemaChange> Changes => _changes;

    /// <summary>With an incremental source: sees the cursor value of every record that becomes a written row.</summary>
    public Lake.CursorTracker? Cursor { get; set; }

    /// <summary>Adds a record; returns the rows that are ready (none while the first batch is sampled).</summary>
    public IReadOnlyList<object?[]> Add(Record record)
    {
        var made = new List<(TableSchema Schema, object?[] Row)>();
        Add(record, made);
        return [.. made.Select(m => m.Row)];
    }

    /// <summary>Adds a record; the rows that are ready go to <paramref name="made"/>, each with the schema it was made
    /// under.</summary>
    private void Add(Record record, List<(TableSchema Schema, object?[] Row)> made)
    {
        if (_schema is not null)
        {
            if (Convert(record) is { } row)
            {
                made.Add((_schema, row));
            }
            return;
        }
        _pending.Add(record);
        _pendingValues += record.Count;
        if (_pending.Count >= _sampleSize || _pendingValues >= MaxSampleValues)
        {
            FlushInto(made);
        }
    }

    /// <summary>Adds a batch; returns the conformed batches that are ready, each of the schema its rows were made under.
    /// A batch in column form whose every value already fits its column passes as it is (columns shared, nothing
    /// converted); any other batch takes the record path, which words dead letters and evolves the schema.</summary>
    public IReadOnlyList<ColumnBatch> AddBatch(ColumnBatch batch)
    {
        if (_schema is not null && !batch.IsRecords && Cursor is null && ColumnConforming.TryConform(_schema, batch) is { } conformed)
        {
            return [conformed];
        }
        if (_schema is null && !batch.IsRecords)
        {
            if (batch.RowCount == 0)
            {
                _emptyShape ??= [.. batch.Columns.Select((column, c) => (batch.Names[c], column.SourceType ?? TypeOf(column.Kind)))];
            }
            for (var c = 0; c < batch.Columns.Length; c++)
            {
                if (batch.Columns[c].SourceType is { } type)
                {
                    _sourceTypes.TryAdd(batch.Names[c], type);
                }
            }
        }
        var made = new List<(TableSchema Schema, object?[] Row)>(batch.RowCount);
        foreach (var record in batch.ToRecords())
        {
            Add(record, made);
        }
        return Batches(made);
    }

    /// <summary>Fixes the schema from what was sampled and converts the sampled records, as conformed batches.</summary>
    public IReadOnlyList<ColumnBatch> FlushBatches()
    {
        var made = new List<(TableSchema Schema, object?[] Row)>();
        FlushInto(made);
        return Batches(made);
    }

    /// <summary>Rows in order, cut into one batch per run of the schema they were made under (each row fits its
    /// schema exactly; a writer fits batches of an older schema to its newer one).</summary>
    private static List<ColumnBatch> Batches(List<(TableSchema Schema, object?[] Row)> made)
    {
        var batches = new List<ColumnBatch>();
        for (var start = 0; start < made.Count;)
        {
            var schema = made[start].Schema;
            var end = start + 1;
            while (end < made.Count && ReferenceEquals(made[end].Schema, schema))
            {
                end++;
            }
            var rows = made.GetRange(start, end - start).Select(m => m.Row).ToList();
            batches.Add(ColumnBatch.FromRows(schema, rows));
            start = end;
        }
        return batches;
    }

    /// <summary>Fixes the schema from what was sampled and converts the sampled records.</summary>
    public IReadOnlyList<object?[]> Flush()
    {
        var made = new List<(TableSchema Schema, object?[] Row)>();
        FlushInto(made);
        return [.. made.Select(m => m.Row)];
    }

    /// <summary>Fixes the schema from the sample and converts the sampled records into <paramref name="made"/>.</summary>
    private void FlushInto(List<(TableSchema Schema, object?[] Row)> made)
    {
        if (_schema is null)
        {
            if (_pending.Count == 0 && _declared is null && _emptyShape is null)
            {
                return;
            }
            _schema = _pending.Count == 0 && _emptyShape is { } shape ? FromShape(shape) : Infer(_pending);
        }
        var rows = new List<object?[]>(_pending.Count);
        foreach (var r in _pending)
        {
            if (Convert(r) is { } row)
            {
                rows.Add(row);
            }
        }
        _pending.Clear();
        _pendingValues = 0;
        // A record of the sample may still have evolved the schema: the whole sample goes out under the last one.
        made.AddRange(_schema.Fit(rows).Select(row => (_schema, row)));
    }

    /// <summary>The schema of a run without records: the columns the transforms gave (declared ones as declared), then
    /// the declared columns they did not.</summary>
    private TableSchema FromShape((string Name, ColumnType Type)[] shape)
    {
        var columns = shape.Select(c => _declared?.IndexOf(c.Name) is >= 0 and var d ? _declared.Columns[d] : new SchemaColumn(c.Name, c.Type)).ToList();
        columns.AddRange((_declared?.Columns ?? []).Where(d => !shape.Any(c => c.Name == d.Name)));
        return new TableSchema([.. columns]);
    }

    /// <summary>A column's type from its values' kind; text for nested values and for decimals of unknown scale.</summary>
    private static ColumnType TypeOf(ColumnKind? kind) => kind is null or ColumnKind.Decimal ? ColumnType.String : new ColumnType(kind.Value);

    private TableSchema Infer(List<Record> sample)
    {
        // Columns in the order the records hold them, as DuckDB, Spark and pandas read a file; declared columns that
        // no sampled record holds come after them, in the spec's order.
        var names = new List<string>();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        // Each column's sampled values in one pass over the records (looking every name up in every record would cost
        // names × names × rows on wide input).
        var values = new List<List<object?>>();
        foreach (var r in sample)
        {
            for (var i = 0; i < r.Count; i++)
            {
                if (!at.TryGetValue(r.NameAt(i), out var c))
                {
                    at[r.NameAt(i)] = c = names.Count;
                    names.Add(r.NameAt(i));
                }
                while (values.Count <= c)
                {
                    values.Add([]);
                }
                var value = r.ValueAt(i);
                values[c].Add(value is Record or IReadOnlyList<object?> ? "{}" : value);
            }
        }
        foreach (var col in _declared?.Columns ?? [])
        {
            if (at.TryAdd(col.Name, names.Count))
            {
                names.Add(col.Name);
            }
        }
        var columns = names.Select((n, c) =>
        {
            var declared = _declared?.IndexOf(n) ?? -1;
            var sampled = c < values.Count ? values[c] : [];
            return declared >= 0 ? _declared!.Columns[declared]
                : new SchemaColumn(n, SourceTypeFitting(n, sampled) ?? TypeInference.Infer(sampled, _inferText));
        });
        return new TableSchema([.. columns]);
    }

    /// <summary>The type the source gave column <paramref name="name"/>, when every sampled value converts to it.</summary>
    private ColumnType? SourceTypeFitting(string name, List<object?> sampled) =>
        _sourceTypes.TryGetValue(name, out var type) && sampled.All(v => v is null || ValueConverter.TryConvert(v, type, out _, out _))
            ? type
            : null;

    private string[]? _shapeNames;
    private int[] _shapeMap = [];
    private int _shapeMatched;

    private object?[]? Convert(Record record)
    {
        var shared = record.SharedNames;
        if (shared is null || !ReferenceEquals(shared, _shapeNames))
        {
            MapShape(record);
        }
        if (_shapeMatched < record.Count && !FitExtraColumns(record))
        {
            return null;
        }
        var schema = _schema!;
        var map = _shapeMap;
        var row = new object?[schema.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            var column = schema.Columns[c];
            var value = RoundForInferredDecimal(map[c] >= 0 ? record.ValueAt(map[c]) : null, column);
            if (!ValueConverter.TryConvert(value, column.Type, out var converted, out var error)
                && !TryWiden(record, c, value, ref error, out converted))
            {
                Reject(record, column.Name, value, $"column '{column.Name}': {error}");
                return null;
            }
            row[c] = converted;
        }
        Cursor?.Observe(record.Cursor);
        return row;
    }

    /// <summary>An inferred decimal column keeps at most 18 digits after the point (TypeInference): a value with more,
    /// such as the quotient 100 / 3, is rounded to the column's scale (half to even, as Spark rounds decimal arithmetic)
    /// rather than refused; a declared column still refuses it.</summary>
    private object? RoundForInferredDecimal(object? value, SchemaColumn column) =>
        value is decimal m && column.Type.Kind == ColumnKind.Decimal && m.Scale > column.Type.Scale && !(_declared?.IndexOf(column.Name) >= 0)
            ? Math.Round(m, column.Type.Scale, MidpointRounding.ToEven)
            : value;

    /// <summary>Positions of the schema's columns in this shape of record (-1: absent).</summary>
    private void MapShape(Record record)
    {
        var schema = _schema!;
        _shapeMap = [.. schema.Columns.Select(c => record.IndexOf(c.Name))];
        _shapeMatched = _shapeMap.Count(i => i >= 0);
        _shapeNames = record.SharedNames;
    }

    /// <summary>Columns of the record that the schema lacks: added (evolve), refused (freeze) or dropped with a
    /// warning (discardColumns). A column whose value is null loses nothing and is left for a later record to type.</summary>
    private bool FitExtraColumns(Record record)
    {
        var schema = _schema!;
        var added = new List<SchemaColumn>();
        for (var i = 0; i < record.Count; i++)
        {
            var name = record.NameAt(i);
            var value = record.ValueAt(i);
            if (schema.IndexOf(name) >= 0 || value is null)
            {
                continue;
            }
            switch (spec.SchemaChange)
            {
                case SchemaChangePolicy.Evolve:
                    var type = TypeInference.Infer([value is Record or IReadOnlyList<object?> ? "{}" : value], _inferText);
                    added.Add(new SchemaColumn(name, type));
                    _changes.Add(new SchemaChange(name, null, type, record.Origin));
                    break;
                case SchemaChangePolicy.Freeze:
                    Reject(record, name, value, $"column '{name}' is not in the schema fixed from the first batch (schemaChange is freeze)");
                    return false;
                default:
                    Warn(name, record);
                    break;
            }
        }
        if (added.Count > 0)
        {
            _schema = new TableSchema([.. schema.Columns, .. added]) { Version = schema.Version + 1 };
            MapShape(record);
        }
        return true;
    }

    /// <summary>Under evolve, widens an inferred column so that <paramref name="value"/> fits without loss.</summary>
    private bool TryWiden(Record record, int c, object? value, ref string? error, out object? converted)
    {
        converted = null;
        var schema = _schema!;
        var column = schema.Columns[c];
        // Declared columns never change type, whatever the policy.
        var declared = _declared?.IndexOf(column.Name) >= 0;
        if (spec.SchemaChange != SchemaChangePolicy.Evolve || value is null || declared
            || TypeWidening.Widen(column.Type, value, spec.WidenToString) is not { } wider
            || !ValueConverter.TryConvert(value, wider, out converted, out _))
        {
            if (spec.SchemaChange == SchemaChangePolicy.Freeze && !declared)
            {
                error += " (schemaChange is freeze)";
            }
            return false;
        }
        _schema = new TableSchema([.. schema.Columns.Select((col, i) => i == c ? col with { Type = wider } : col)]) { Version = schema.Version + 1 };
        _changes.Add(new SchemaChange(column.Name, column.Type, wider, record.Origin));
        return true;
    }

    private void Reject(Record record, string column, object? value, string reason)
    {
        run.Counters.CountFailed();
        run.DeadLetters.Write(new DeadLetter
        {
            Stage = "schema",
            Reason = reason,
            Origin = record.Origin,
            Column = column,
            Value = value is null ? null : ValueConverter.ToText(value),
            Record = record,
        });
    }

    private void Warn(string name, Record record)
    {
        if (_warned.Count < 100 && _warned.Add(name))
        {
            run.Logger.LogWarning("{Spec}: column {Column} first appears after the schema was fixed ({Origin}); it is not written (schemaChange is discardColumns).", spec.Name, name, record.Origin);
        }
    }
}
