// Named fields of a JSON text column's objects, read by the source while it met them (a projection the plan asked
// for), so that select builds their columns without reading the text again. They travel with the rows.
namespace Etl.Columns;

/// <summary>Row r's field f is <c>Values[s * Names.Length + f]</c> where s is <c>Map[r]</c> (r without a map): what
/// <see cref="JsonObjectReader"/> read from the row's object (all null for a row that is null or not an object, or
/// whose s is negative); the array may be longer. Gathering rows (explode) makes a map instead of copying values.</summary>
internal sealed class JsonFieldsRead(string[] names, ObjectFieldValue[] values, int rows, int[]? map = null)
{
    public string[] Names { get; } = names;

    public ObjectFieldValue[] Values { get; } = values;

    public int Rows { get; } = rows;

    /// <summary>Which row of <see cref="Values"/> each row is (negative: a null row); null for row r is row r.</summary>
    public int[]? Map { get; } = map;

    private int SourceRow(int row) => Map is null ? row : Map[row];

    /// <summary>The fields of rows <paramref name="rows"/>, in that order; a negative row stands for a null row.</summary>
    public JsonFieldsRead Gather(ReadOnlySpan<int> rows)
    {
        if (Map is null && IsLeadingRows(rows))
        {
            // Explode of a batch whose every array has elements: its elements in order, nothing to map.
            return rows.Length == Rows ? this : new JsonFieldsRead(Names, Values, rows.Length);
        }
        var map = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            map[i] = rows[i] < 0 ? -1 : SourceRow(rows[i]);
        }
        return new JsonFieldsRead(Names, Values, rows.Length, map);
    }

    public JsonFieldsRead Slice(int start, int count) => (start, Map) switch
    {
        (0, null) => new(Names, Values, count),
        (_, null) => new(Names, Values, count, [.. Enumerable.Range(start, count)]),
        _ => new(Names, Values, count, Map.AsSpan(start, count).ToArray()),
    };

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
        if (AnyUnread())
        {
            return null;
        }
        var width = Names.Length;
        var columns = new Column[at.Length];
        for (var j = 0; j < at.Length; j++)
        {
            var column = new ScalarColumnBuilder(Rows);
            for (var r = 0; r < Rows; r++)
            {
                var s = SourceRow(r);
                if (s < 0)
                {
                    column.AddNull();
                    continue;
                }
                Values[s * width + at[j]].AddTo(column);
            }
            columns[j] = column.Build();
        }
        return columns;
    }

    private bool AnyUnread()
    {
        var width = Names.Length;
        for (var r = 0; r < Rows; r++)
        {
            var s = SourceRow(r);
            if (s < 0)
            {
                continue;
            }
            foreach (var value in Values.AsSpan(s * width, width))
            {
                if (value.Kind == ObjectFieldKind.Unread)
                {
                    return true;
                }
            }
        }
        return false;
    }
}
