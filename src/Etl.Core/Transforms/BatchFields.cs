// The expression's fields in one column batch: which column each reads, from which row, typed as the record path would.
using Etl.Columns;
using Etl.Records;

namespace Etl.Transforms;

/// <summary>Rows [Start, End) of a batch evaluated with one signature: <see cref="Reads"/>[i] is the class of the column
/// field i is read from (null: the field is null there), <see cref="Types"/>[i] its type (null: guessed, as for a field
/// only ever seen null).</summary>
internal sealed record FieldSegment(int Start, int End, Type?[] Reads, Type?[] Types);

/// <summary>
/// For each field of an expression: its column in the batch (null when the batch lacks it or holds only nulls), the type
/// its values take, and the first row read from it. Before that row the field is null with the type the record path would
/// give it: the last type it saw, which is the column's own once any row had a value.
/// </summary>
internal sealed class BatchFields
{
    private readonly Type?[] _types;
    private readonly Type?[] _before;
    private readonly int[] _starts;
    private readonly int _rows;

    private BatchFields(int fields, int rows)
    {
        Columns = new Column?[fields];
        _types = new Type?[fields];
        _before = new Type?[fields];
        _starts = new int[fields];
        _rows = rows;
    }

    public Column?[] Columns { get; }

    /// <summary>The fields of <paramref name="expression"/> in <paramref name="batch"/>, or null when a column is not one
    /// the kernels read: another column class, a double that is not read as a decimal, boxed values of several types
    /// (or of a type the record path normalises).</summary>
    public static BatchFields? Of(RecordExpression expression, ColumnBatch batch)
    {
        var names = expression.Identifiers;
        var fields = new BatchFields(names.Count, batch.RowCount);
        for (var i = 0; i < names.Count; i++)
        {
            fields._before[i] = expression.LastType(i);
            fields._starts[i] = batch.RowCount;
            var at = batch.IndexOf(names[i]);
            if (at < 0)
            {
                continue;
            }
            var column = batch.Columns[at];
            if (!TypeOfValues(column, out var type))
            {
                return null;
            }
            if (type is null)
            {
                // No value in the batch: null of the last type seen on every row, as for a missing column.
                continue;
            }
            fields.Columns[i] = column;
            fields._types[i] = type;
            fields._starts[i] = fields._before[i] == type ? 0 : FirstValue(column);
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
            var reads = new Type?[_types.Length];
            var types = new Type?[_types.Length];
            for (var i = 0; i < reads.Length; i++)
            {
                var read = Columns[i] is not null && _starts[i] <= bounds[b];
                reads[i] = read ? Columns[i]!.GetType() : null;
                types[i] = read ? _types[i] : _before[i];
            }
            segments.Add(new FieldSegment(bounds[b], bounds[b + 1], reads, types));
        }
        return segments;
    }

    /// <summary>Leaves the expression's last types as evaluating the batch row by row would have.</summary>
    public void NoteTypes(RecordExpression expression)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            if (_types[i] is { } type)
            {
                expression.NoteType(i, type);
            }
        }
    }

    // The one type the record path gives every value of the column (null when it holds no value), or false.
    private static bool TypeOfValues(Column column, out Type? type)
    {
        type = null;
        if (column is ValueColumn boxed)
        {
            return TypeOfBoxed(boxed, out type);
        }
        if (column.Kind is not { } kind || column.GetType() != Column.ClassOf(kind)
            || (kind == ColumnKind.Double && !ReadAsDecimals((TypedColumn<double>)column)))
        {
            return false;
        }
        type = FirstValue(column) < column.Length ? RecordExpression.TypeOf(kind) : null;
        return true;
    }

    // Boxed values are read as they are, so only when they share one type that Normalize leaves alone.
    private static bool TypeOfBoxed(ValueColumn column, out Type? type)
    {
        type = null;
        for (var r = 0; r < column.Length; r++)
        {
            var t = column.Values[r]?.GetType();
            if (t is null || t == type)
            {
                continue;
            }
            if (type is not null || t == typeof(int) || t == typeof(double))
            {
                return false;
            }
            type = t;
        }
        type = type is { IsValueType: true } ? typeof(Nullable<>).MakeGenericType(type) : type;
        return true;
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
