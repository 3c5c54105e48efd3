// The expression's fields in one column batch: which column each reads, from which row, typed as the record path would.
using Etl.Columns;
using Etl.Records;

namespace Etl.Transforms;

/// <summary>Rows [Start, End) of a batch evaluated with one signature: <see cref="Reads"/>[i] is the kind of the column
/// field i is read from (null: the field is null there), <see cref="Types"/>[i] its type (null: guessed, as for a field
/// only ever seen null).</summary>
internal sealed record FieldSegment(int Start, int End, ColumnKind?[] Reads, Type?[] Types);

/// <summary>
/// For each field of an expression: its column in the batch (null when the batch lacks it), and the first row read from
/// it. Before that row the field is null with the type the record path would give it: the last type it saw, which is the
/// column's own once any row had a value.
/// </summary>
internal sealed class BatchFields
{
    private readonly ColumnKind?[] _kinds;
    private readonly Type?[] _before;
    private readonly int[] _starts;
    private readonly bool[] _hasValues;
    private readonly int _rows;

    private BatchFields(int fields, int rows)
    {
        Columns = new Column?[fields];
        _kinds = new ColumnKind?[fields];
        _before = new Type?[fields];
        _starts = new int[fields];
        _hasValues = new bool[fields];
        _rows = rows;
    }

    public Column?[] Columns { get; }

    /// <summary>The fields of <paramref name="expression"/> in <paramref name="batch"/>, or null when a column is not one
    /// the kernels read (boxed values, another column class, a double that is not read as a decimal).</summary>
    public static BatchFields? Of(RecordExpression expression, ColumnBatch batch)
    {
        var names = expression.Identifiers;
        var fields = new BatchFields(names.Count, batch.RowCount);
        for (var i = 0; i < names.Count; i++)
        {
            fields._before[i] = expression.LastType(i);
            var at = batch.IndexOf(names[i]);
            if (at < 0)
            {
                fields._starts[i] = batch.RowCount;
                continue;
            }
            var column = batch.Columns[at];
            if (column.Kind is not { } kind || column.GetType() != ColumnKernels.ColumnClass(kind)
                || (kind == ColumnKind.Double && !ReadAsDecimals((TypedColumn<double>)column)))
            {
                return null;
            }
            var first = FirstValue(column);
            fields.Columns[i] = column;
            fields._kinds[i] = kind;
            fields._hasValues[i] = first < batch.RowCount;
            fields._starts[i] = fields._before[i] == RecordExpression.TypeOf(kind) ? 0 : first;
        }
        return fields;
    }

    /// <summary>The segments of rows with one signature each, in row order (one, unless a column starts with nulls that
    /// the last type seen types differently).</summary>
    public List<FieldSegment> Segments()
    {
        var bounds = _starts.Where(s => s > 0 && s < _rows).Append(0).Append(_rows).Distinct().Order().ToArray();
        var segments = new List<FieldSegment>(bounds.Length - 1);
        for (var b = 0; b + 1 < bounds.Length; b++)
        {
            var reads = new ColumnKind?[_kinds.Length];
            var types = new Type?[_kinds.Length];
            for (var i = 0; i < reads.Length; i++)
            {
                reads[i] = Columns[i] is not null && _starts[i] <= bounds[b] ? _kinds[i] : null;
                types[i] = reads[i] is { } kind ? RecordExpression.TypeOf(kind) : _before[i];
            }
            segments.Add(new FieldSegment(bounds[b], bounds[b + 1], reads, types));
        }
        return segments;
    }

    /// <summary>Leaves the expression's last types as evaluating the batch row by row would have.</summary>
    public void NoteTypes(RecordExpression expression)
    {
        for (var i = 0; i < _kinds.Length; i++)
        {
            if (_hasValues[i])
            {
                expression.NoteType(i, RecordExpression.TypeOf(_kinds[i]!.Value));
            }
        }
    }

    private static int FirstValue(Column column)
    {
        if (!column.HasNulls)
        {
            return 0;
        }
        var row = 0;
        while (row < column.Length && column.IsNull(row))
        {
            row++;
        }
        return row;
    }

    private static bool ReadAsDecimals(TypedColumn<double> column)
    {
        for (var r = 0; r < column.Length; r++)
        {
            if (!column.IsNull(r) && !RecordExpression.ReadsAsDecimal(column.Values[r]))
            {
                return false;
            }
        }
        return true;
    }
}
