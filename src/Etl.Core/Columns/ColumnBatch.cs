// What travels through the mesh: rows of one shape as typed columns, or (from sources and transforms that work row by
// row) as records.
using Etl.Records;

namespace Etl.Columns;

/// <summary>
/// A batch of rows. In column form every field is one <see cref="Column"/> of <see cref="RowCount"/> values, named by
/// <see cref="Names"/> (an array shared by batches of the same shape); in record form it holds <see cref="Records"/>
/// and no columns. A batch is immutable once sent: transforms return new batches that may share columns.
/// After the conformer, <see cref="Schema"/> is the run's schema and the columns hold exactly its types.
/// </summary>
public sealed class ColumnBatch
{
    private ColumnBatch(string[] names, Column[] columns, int rowCount, BatchOrigins? origins, Record[]? records, TableSchema? schema)
    {
        (Names, Columns, RowCount, Origins, Records, Schema) = (names, columns, rowCount, origins, records, schema);
    }

    /// <summary>A batch in column form; every column holds <paramref name="rowCount"/> rows.</summary>
    public ColumnBatch(string[] names, Column[] columns, int rowCount, BatchOrigins? origins = null)
        : this(names, columns, rowCount, origins, null, null)
    {
        if (names.Length != columns.Length)
        {
            throw new ArgumentException($"{names.Length} names for {columns.Length} columns", nameof(columns));
        }
        foreach (var column in columns)
        {
            if (column.Length != rowCount)
            {
                throw new ArgumentException($"a column of {column.Length} rows in a batch of {rowCount}", nameof(columns));
            }
        }
    }

    /// <summary>A batch in record form.</summary>
    public static ColumnBatch FromRecords(Record[] records) => new([], [], records.Length, null, records, null);

    /// <summary>A conformed batch of <paramref name="schema"/> from rows whose values already have the column types.</summary>
    public static ColumnBatch FromRows(TableSchema schema, IReadOnlyList<object?[]> rows)
    {
        var columns = new Column[schema.Count];
        for (var c = 0; c < columns.Length; c++)
        {
            var builder = ColumnBuilder.For(schema.Columns[c].Type.Kind, rows.Count);
            foreach (var row in rows)
            {
                builder.AddValue(row[c]);
            }
            columns[c] = builder.Build();
        }
        return Conformed(schema, columns, rows.Count);
    }

    /// <summary>A batch whose columns are exactly <paramref name="schema"/>'s, in its order and of its types.</summary>
    public static ColumnBatch Conformed(TableSchema schema, Column[] columns, int rowCount, BatchOrigins? origins = null) =>
        new ColumnBatch([.. schema.Columns.Select(c => c.Name)], columns, rowCount, origins) { Schema = schema };

    public string[] Names { get; }

    public Column[] Columns { get; }

    public int RowCount { get; }

    /// <summary>Per-row origins in column form (null when not known).</summary>
    public BatchOrigins? Origins { get; }

    /// <summary>The rows in record form; null in column form.</summary>
    public Record[]? Records { get; }

    /// <summary>The run schema the columns match, once conformed.</summary>
    public TableSchema? Schema { get; private init; }

    public bool IsRecords => Records is not null;

    public int IndexOf(string name) => Array.IndexOf(Names, name);

    /// <summary>The origin of row <paramref name="row"/>, for dead letters.</summary>
    public string? OriginAt(int row) => Records is { } records ? records[row].Origin : Origins?.At(row);

    /// <summary>The rows as records: the batch's own in record form, otherwise made from the columns (sharing one name
    /// array, as a source's records do).</summary>
    public Record[] ToRecords()
    {
        if (Records is { } records)
        {
            return records;
        }
        var result = new Record[RowCount];
        for (var r = 0; r < RowCount; r++)
        {
            result[r] = RecordAt(r);
        }
        return result;
    }

    /// <summary>Row <paramref name="row"/> as a record (column form), with its origin.</summary>
    public Record RecordAt(int row)
    {
        if (Records is { } records)
        {
            return records[row];
        }
        var values = new object?[Columns.Length];
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = Columns[c].GetValue(row);
        }
        var record = new Record(Names, values);
        if (Origins is { } o)
        {
            record.SetOrigin(o.File, o.Positions[row], o.Separator, o.Suffix);
        }
        return record;
    }

    /// <summary>The rows as value arrays in column order (column form).</summary>
    public object?[][] ToRows()
    {
        var rows = new object?[RowCount][];
        for (var r = 0; r < rows.Length; r++)
        {
            var row = new object?[Columns.Length];
            for (var c = 0; c < row.Length; c++)
            {
                row[c] = Columns[c].GetValue(r);
            }
            rows[r] = row;
        }
        return rows;
    }

    /// <summary>The same rows under other columns (select, rename, drop): nothing is copied.</summary>
    public ColumnBatch WithColumns(string[] names, Column[] columns) => new(names, columns, RowCount, Origins);

    /// <summary>The given rows, in that order.</summary>
    public ColumnBatch Gather(ReadOnlySpan<int> rows)
    {
        if (Records is { } records)
        {
            var picked = new Record[rows.Length];
            for (var i = 0; i < rows.Length; i++)
            {
                picked[i] = records[rows[i]];
            }
            return FromRecords(picked);
        }
        var columns = new Column[Columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c] = Columns[c].Gather(rows);
        }
        return new ColumnBatch(Names, columns, rows.Length, Origins?.Gather(rows), null, Schema);
    }

    /// <summary>Rows [start, start + count).</summary>
    public ColumnBatch Slice(int start, int count)
    {
        if (start == 0 && count == RowCount)
        {
            return this;
        }
        if (Records is { } records)
        {
            return FromRecords(records[start..(start + count)]);
        }
        return new ColumnBatch(Names, [.. Columns.Select(c => c.Slice(start, count))], count, Origins?.Slice(start, count), null, Schema);
    }

    /// <summary>An estimate of the memory the batch's values hold.</summary>
    public long EstimatedBytes => Records is not null ? RowCount * 256L : Columns.Sum(c => c.EstimatedBytes);
}
