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
            if (ColumnCast.Convert(batch.Columns[at], type) is not { } fitted)
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
}
