// Named fields of a JSON text column's objects, read by the source while it met them (a projection the plan asked
// for), so that select builds their columns without reading the text again. They travel with the rows.
namespace Etl.Columns;

/// <summary>Row r's field f is <c>Values[r * Names.Length + f]</c>: what <see cref="JsonObjectReader"/> read from the
/// row's object (all null for a row that is null or not an object); the array may be longer.</summary>
internal sealed class JsonFieldsRead(string[] names, ObjectFieldValue[] values, int rows)
{
    public string[] Names { get; } = names;

    public ObjectFieldValue[] Values { get; } = values;

    public int Rows { get; } = rows;

    /// <summary>The fields of rows <paramref name="rows"/>, in that order; a negative row stands for a null row.</summary>
    public JsonFieldsRead Gather(ReadOnlySpan<int> rows)
    {
        if (IsLeadingRows(rows))
        {
            // Explode of a batch whose every array has elements: its elements in order, nothing to copy.
            return rows.Length == Rows ? this : new JsonFieldsRead(Names, Values, rows.Length);
        }
        var width = Names.Length;
        var values = new ObjectFieldValue[rows.Length * width];
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] >= 0)
            {
                Values.AsSpan(rows[i] * width, width).CopyTo(values.AsSpan(i * width));
            }
        }
        return new JsonFieldsRead(Names, values, rows.Length);
    }

    public JsonFieldsRead Slice(int start, int count) => start == 0
        ? new(Names, Values, count)
        : new(Names, Values.AsSpan(start * Names.Length, count * Names.Length).ToArray(), count);

    /// <summary>Whether <paramref name="rows"/> is 0, 1, 2… (rows this instance holds).</summary>
    private bool IsLeadingRows(ReadOnlySpan<int> rows)
    {
        if (rows.Length > Rows)
        {
            return false;
        }
        for (var i = 0; i < rows.Length; i++)
        {
            if (rows[i] != i)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The columns of <paramref name="fields"/> (what reading them from the text gives), or null when one was
    /// not read here (then the text is read).</summary>
    public Column[]? TryColumns(IReadOnlyList<string> fields)
    {
        var at = new int[fields.Count];
        for (var j = 0; j < at.Length; j++)
        {
            at[j] = Array.IndexOf(Names, fields[j]);
            if (at[j] < 0 || fields.Take(j).Contains(fields[j]))
            {
                return null;
            }
        }
        foreach (var value in Values.AsSpan(0, Rows * Names.Length))
        {
            if (value.Kind == ObjectFieldKind.Unread)
            {
                return null;
            }
        }
        var columns = new Column[at.Length];
        for (var j = 0; j < at.Length; j++)
        {
            var column = new ScalarColumnBuilder(Rows);
            for (var r = 0; r < Rows; r++)
            {
                Values[r * Names.Length + at[j]].AddTo(column);
            }
            columns[j] = column.Build();
        }
        return columns;
    }
}
