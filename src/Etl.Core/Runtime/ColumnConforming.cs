// The conformer's fast path: a column batch whose values already fit the run's schema becomes a conformed batch
// without a record or a boxed value per row.
using Etl.Columns;
using Etl.Records;

namespace Etl.Runtime;

/// <summary>Maps a batch's columns onto the schema's. Returns null whenever a row would need the record path: a value
/// that does not convert, a null in a not-null column, a non-null value in a column the schema lacks (evolve, freeze
/// and discardColumns decide about those), or an incremental cursor to observe.</summary>
internal static class ColumnConforming
{
    public static ColumnBatch? TryConform(TableSchema schema, ColumnBatch batch)
    {
        var columns = new Column[schema.Count];
        var used = 0;
        for (var c = 0; c < schema.Count; c++)
        {
            var type = schema.Columns[c].Type;
            var at = batch.IndexOf(schema.Columns[c].Name);
            if (at < 0)
            {
                if (!type.Nullable)
                {
                    return null;
                }
                columns[c] = AllNull(ColumnBuilder.For(type.Kind, batch.RowCount), batch.RowCount);
                continue;
            }
            used++;
            if (Fit(batch.Columns[at], type) is not { } fitted)
            {
                return null;
            }
            columns[c] = fitted;
        }
        if (used < batch.Names.Length && !ExtraColumnsAreNull(schema, batch))
        {
            return null;
        }
        return ColumnBatch.Conformed(schema, columns, batch.RowCount, batch.Origins);
    }

    private static Column AllNull(ColumnBuilder builder, int rows)
    {
        for (var r = 0; r < rows; r++)
        {
            builder.AddNull();
        }
        return builder.Build();
    }

    private static bool ExtraColumnsAreNull(TableSchema schema, ColumnBatch batch)
    {
        for (var i = 0; i < batch.Names.Length; i++)
        {
            if (schema.IndexOf(batch.Names[i]) < 0)
            {
                var column = batch.Columns[i];
                for (var r = 0; r < column.Length; r++)
                {
                    if (!column.IsNull(r))
                    {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /// <summary>The column as <paramref name="type"/>: itself when every value fits already, converted value by value
    /// otherwise; null when a value does not convert.</summary>
    private static Column? Fit(Column column, ColumnType type)
    {
        if (!type.Nullable && column.HasNulls)
        {
            return null;
        }
        if (column.Kind == type.Kind && type.Kind != ColumnKind.Decimal && !(type.Kind == ColumnKind.Timestamp && type.Format is not null))
        {
            return column;
        }
        if (column is TypedColumn<decimal> decimals && type.Kind == ColumnKind.Decimal && DecimalsFit(decimals, type))
        {
            return column;
        }
        var builder = ColumnBuilder.For(type.Kind, column.Length);
        for (var r = 0; r < column.Length; r++)
        {
            if (!ValueConverter.TryConvert(column.GetValue(r), type, out var converted, out _))
            {
                return null;
            }
            builder.AddValue(converted);
        }
        return builder.Build();
    }

    private static bool DecimalsFit(TypedColumn<decimal> column, ColumnType type)
    {
        for (var r = 0; r < column.Length; r++)
        {
            if (!column.IsNull(r) && !ValueConverter.Fits(column.Values[r], type))
            {
                return false;
            }
        }
        return true;
    }
}
