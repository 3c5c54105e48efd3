// Turns records into rows of the run's schema: declared types, or types inferred from the first batch, then fixed.
using Etl.Records;
using Etl.Spec;
using Microsoft.Extensions.Logging;

namespace Etl.Runtime;

public sealed class Conformer(PipelineSpec spec, RunContext run)
{
    private readonly TableSchema? _declared = spec.Columns is { } c ? TableSchema.FromSpec(c) : null;
    private readonly List<Record> _pending = [];
    private readonly int _sampleSize = Math.Max(1, Math.Min((spec.Batch ?? new BatchSpec()).Size, 10_000));
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private TableSchema? _schema;

    public TableSchema? Schema => _schema;

    /// <summary>With an incremental source: sees the cursor value of every record that becomes a written row.</summary>
    public Lake.CursorTracker? Cursor { get; init; }

    /// <summary>Adds a record; returns the rows that are ready (none while the first batch is sampled).</summary>
    public IReadOnlyList<object?[]> Add(Record record)
    {
        if (_schema is not null)
        {
            return Convert(record) is { } row ? [row] : [];
        }
        _pending.Add(record);
        return _pending.Count >= _sampleSize ? Flush() : [];
    }

    /// <summary>Fixes the schema from what was sampled and converts the sampled records.</summary>
    public IReadOnlyList<object?[]> Flush()
    {
        if (_schema is null)
        {
            if (_pending.Count == 0 && _declared is null)
            {
                return [];
            }
            _schema = Infer(_pending);
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
        return rows;
    }

    private TableSchema Infer(List<Record> sample)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var col in _declared?.Columns ?? [])
        {
            seen.Add(col.Name);
            names.Add(col.Name);
        }
        foreach (var r in sample)
        {
            for (var i = 0; i < r.Count; i++)
            {
                if (seen.Add(r.NameAt(i)))
                {
                    names.Add(r.NameAt(i));
                }
            }
        }
        var columns = names.Select(n =>
        {
            var at = _declared?.IndexOf(n) ?? -1;
            if (at >= 0)
            {
                return _declared!.Columns[at];
            }
            var type = TypeInference.Infer(sample.Select(r => r[n] is Record or IReadOnlyList<object?> ? "{}" : r[n]));
            return new SchemaColumn(n, type);
        });
        return new TableSchema([.. columns]);
    }

    private string[]? _shapeNames;
    private int[] _shapeMap = [];
    private int _shapeMatched;

    private object?[]? Convert(Record record)
    {
        var schema = _schema!;
        var row = new object?[schema.Count];
        var shared = record.SharedNames;
        if (shared is null || !ReferenceEquals(shared, _shapeNames))
        {
            // Positions of the schema's columns in this shape of record (-1: absent).
            _shapeMap = [.. schema.Columns.Select(c => record.IndexOf(c.Name))];
            _shapeMatched = _shapeMap.Count(i => i >= 0);
            _shapeNames = shared;
        }
        var map = _shapeMap;
        var matched = _shapeMatched;
        for (var c = 0; c < schema.Count; c++)
        {
            var column = schema.Columns[c];
            var value = map[c] >= 0 ? record.ValueAt(map[c]) : null;
            if (!ValueConverter.TryConvert(value, column.Type, out var converted, out var error))
            {
                run.Counters.CountFailed();
                run.DeadLetters.Write(new DeadLetter
                {
                    Stage = "schema",
                    Reason = $"column '{column.Name}': {error}",
                    Origin = record.Origin,
                    Column = column.Name,
                    Value = value is null ? null : ValueConverter.ToText(value),
                    Record = record,
                });
                return null;
            }
            row[c] = converted;
        }
        if (matched < record.Count)
        {
            WarnExtraColumns(record, schema);
        }
        Cursor?.Observe(record.Cursor);
        return row;
    }

    private void WarnExtraColumns(Record record, TableSchema schema)
    {
        for (var i = 0; i < record.Count; i++)
        {
            var name = record.NameAt(i);
            if (schema.IndexOf(name) < 0 && _warned.Count < 100 && _warned.Add(name))
            {
                run.Logger.LogWarning("Column {Column} first appears after the schema was fixed ({Origin}); it is not written. Declare it in \"schema\" to keep it.", name, record.Origin);
            }
        }
    }
}
