// Nested JSON values (objects, arrays) of a JSON Lines batch kept as their UTF-8 text and parsed only when read, so that
// explode and select can pick what they need without a record per object.
using System.Text.Json;
using Etl.Records;

namespace Etl.Columns;

/// <summary>Row r is the JSON value <c>Utf8[Starts[r] .. Starts[r] + Lengths[r])</c>, or null when its length is 0.
/// <see cref="GetValue"/> gives exactly what <see cref="RecordJson.Parse"/> gives for that text (nested records,
/// lists, long / double / string / bool), which is what the record path would hold.</summary>
public sealed class JsonTextColumn(byte[] utf8, int[] starts, int[] lengths, int length) : Column(length)
{
    // Records made from the text share their name arrays per shape, as the source's records do; a pool serves one
    // thread at a time.
    [ThreadStatic]
    private static NamePool? t_names;

    // Which fields read by ReadFields are worth pooling (names and sku codes repeat; customer names rarely do).
    [ThreadStatic]
    private static JsonValuePooling? t_pooling;

    public byte[] Utf8 { get; } = utf8;

    public int[] Starts { get; } = starts;

    public int[] Lengths { get; } = lengths;

    /// <summary>Where the elements of each row's array lie, when the source noted them while reading the lines (every
    /// non-null row is then an array); null otherwise.</summary>
    internal JsonArrayIndex? Arrays { get; init; }

    /// <summary>Fields of each row's object that the source read while it met them (null when it was not asked to);
    /// <see cref="ReadFields"/> takes them instead of reading the text again.</summary>
    internal JsonFieldsRead? Fields { get; init; }

    public override ColumnKind? Kind => null;

    public override bool IsNull(int row) => Lengths[row] == 0;

    public override bool HasNulls => Array.IndexOf(Lengths, 0, 0, Length) >= 0;

    /// <summary>The text of row <paramref name="row"/> (empty for null).</summary>
    public ReadOnlySpan<byte> Text(int row) => Utf8.AsSpan(Starts[row], Lengths[row]);

    public override object? GetValue(int row) => IsNull(row) ? null : RecordJson.Parse(Text(row), t_names ??= new NamePool());

    public override Column Gather(ReadOnlySpan<int> rows)
    {
        var starts = new int[rows.Length];
        var lengths = new int[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            starts[i] = Starts[rows[i]];
            lengths[i] = Lengths[rows[i]];
        }
        return new JsonTextColumn(Utf8, starts, lengths, rows.Length) { Fields = Fields?.Gather(rows) };
    }

    public override Column Slice(int start, int count) =>
        new JsonTextColumn(Utf8, Starts.AsSpan(start, count).ToArray(), Lengths.AsSpan(start, count).ToArray(), count)
        {
            Arrays = Arrays?.Slice(start, count),
            Fields = Fields?.Slice(start, count),
        };

    public override long EstimatedBytes
    {
        get
        {
            long bytes = 8L * Length;
            for (var r = 0; r < Length; r++)
            {
                bytes += Lengths[r];
            }
            return bytes;
        }
    }

    /// <summary>What <see cref="RecordPath.ReadBelowRoot"/> gives for row <paramref name="row"/>'s value, read from
    /// the text: <paramref name="steps"/> are the path's names and indexes after its first name.</summary>
    public object? ReadBelow(int row, IReadOnlyList<(string? Name, int Index)> steps)
    {
        if (!TryFind(row, steps, out var reader))
        {
            return null;
        }
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            _ => RecordJson.ReadValue(ref reader, t_names ??= new NamePool()),
        };
    }

    /// <summary><see cref="ReadBelow"/> for every row, as one column: typed when every value has one kind (no value
    /// boxed on the way), the values themselves otherwise.</summary>
    public Column ReadColumnBelow(IReadOnlyList<(string? Name, int Index)> steps)
    {
        var names = t_names ??= new NamePool();
        var column = new ScalarColumnBuilder(Length);
        for (var r = 0; r < Length; r++)
        {
            if (TryFind(r, steps, out var reader))
            {
                Add(column, ref reader, names);
            }
            else
            {
                column.AddNull();
            }
        }
        return column.Build();
    }

    /// <summary>The fields <paramref name="fields"/> of every row's object as columns, read in one pass over each row
    /// (what <see cref="ReadBelow"/> gives for the one-name paths to them).</summary>
    public Column[] ReadFields(IReadOnlyList<string> fields)
    {
        if (Fields?.TryColumns(fields) is { } read)
        {
            return read;
        }
        var reader = new JsonObjectFields(fields, Length, t_names ??= new NamePool(), t_pooling ??= new JsonValuePooling());
        for (var r = 0; r < Length; r++)
        {
            if (r > 0 && Starts[r] == Starts[r - 1] && Lengths[r] == Lengths[r - 1])
            {
                // The same text as the row before (a parent gathered for each of its exploded elements): the same values.
                reader.Repeat();
                continue;
            }
            reader.Add(Text(r));
        }
        return reader.Build();
    }

    /// <summary>Appends the value at the reader's token as the record path holds it.</summary>
    private static void Add(ScalarColumnBuilder column, ref Utf8JsonReader reader, NamePool names)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: column.AddNull(); break;
            case JsonTokenType.String: column.Add(names.GetValueString(ref reader)); break;
            case JsonTokenType.Number when reader.TryGetInt64(out var l): column.Add(l); break;
            case JsonTokenType.Number when RecordJson.TryGetWholeDecimal(ref reader, out var whole): column.AddValue(whole); break;
            case JsonTokenType.Number: column.Add(reader.GetDouble()); break;
            case JsonTokenType.True: column.Add(true); break;
            case JsonTokenType.False: column.Add(false); break;
            default: column.AddValue(RecordJson.ReadValue(ref reader, names)); break;
        }
    }

    /// <summary>Positions a reader on the value the steps lead to in row <paramref name="row"/>; false when they lead
    /// nowhere (a missing name, an index past the end, a step into a value of another kind).</summary>
    private bool TryFind(int row, IReadOnlyList<(string? Name, int Index)> steps, out Utf8JsonReader reader)
    {
        reader = Reader(row);
        if (IsNull(row))
        {
            return false;
        }
        reader.Read();
        for (var i = 0; i < steps.Count; i++)
        {
            var (name, index) = steps[i];
            if (!(name is not null ? TryEnterProperty(ref reader, name) : TryEnterElement(ref reader, index)))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Moves from an object to the value of its last property named <paramref name="name"/> (a repeated
    /// name: the last value wins, as in records); false when there is none or the value is not an object.</summary>
    private static bool TryEnterProperty(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }
        var found = default(Utf8JsonReader);
        var any = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                found = reader;
                any = true;
            }
            reader.Skip();
        }
        if (any)
        {
            reader = found;
        }
        return any;
    }

    private static bool TryEnterElement(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }
        for (var i = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; i++)
        {
            if (i == index)
            {
                return true;
            }
            reader.Skip();
        }
        return false;
    }

    /// <summary>One row per array element (explode): <paramref name="parents"/> gives each element's row, an empty or
    /// null array giving one null element when <paramref name="outer"/>. Null when a row is not an array. Counts are
    /// the record path's: parents that give no row, and rows beyond one per parent.</summary>
    public (JsonTextColumn Elements, int[] Parents, int Filtered, int Added)? Explode(bool outer)
    {
        if (Arrays is { } arrays)
        {
            return Explode(arrays, outer);
        }
        var elements = new ExplodedElements(Length * 3);
        int filtered = 0, added = 0;
        for (var r = 0; r < Length; r++)
        {
            var before = elements.Count;
            if (!IsNull(r))
            {
                var reader = Reader(r);
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return null;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var start = (int)reader.TokenStartIndex;
                    var isNull = reader.TokenType == JsonTokenType.Null;
                    reader.Skip();
                    elements.Add(r, Starts[r] + start, isNull ? 0 : (int)reader.BytesConsumed - start);
                }
            }
            var count = elements.Count - before;
            if (count == 0 && outer)
            {
                elements.Add(r, 0, 0);
            }
            filtered += count == 0 && !outer ? 1 : 0;
            added += Math.Max(count - 1, 0);
        }
        return (new JsonTextColumn(Utf8, elements.Starts, elements.Lengths, elements.Count), elements.Parents(), filtered, added);
    }

    /// <summary><see cref="Explode(bool)"/> from the elements the source noted: no text is read.</summary>
    private (JsonTextColumn Elements, int[] Parents, int Filtered, int Added) Explode(JsonArrayIndex arrays, bool outer)
    {
        var elements = new ExplodedElements(Length == 0 ? 0 : arrays.Ends[Length - 1] - arrays.Begin(0) + (outer ? Length : 0));
        var (starts, lengths) = (arrays.Elements.Starts, arrays.Elements.Lengths);
        int filtered = 0, added = 0;
        for (var r = 0; r < Length; r++)
        {
            var (begin, end) = (arrays.Begin(r), arrays.Ends[r]);
            for (var i = begin; i < end; i++)
            {
                elements.Add(r, starts[i], lengths[i], i);
            }
            var count = end - begin;
            if (count == 0 && outer)
            {
                elements.Add(r, 0, 0);
            }
            filtered += count == 0 && !outer ? 1 : 0;
            added += Math.Max(count - 1, 0);
        }
        var column = new JsonTextColumn(Utf8, elements.Starts, elements.Lengths, elements.Count)
        {
            Fields = arrays.Fields?.Gather(elements.Items),
        };
        return (column, elements.Parents(), filtered, added);
    }

    /// <summary>The elements found so far: their parent rows and text, in arrays that grow (a column may keep arrays
    /// longer than its rows; the parents are trimmed, since they are the rows the other columns gather).</summary>
    private sealed class ExplodedElements(int capacity)
    {
        private int[] _parents = new int[Math.Max(capacity, 1)];
        private int[] _starts = new int[Math.Max(capacity, 1)];
        private int[] _lengths = new int[Math.Max(capacity, 1)];
        // Which element of the source's index each is (-1: none, an outer row's null element).
        private int[] _items = new int[Math.Max(capacity, 1)];

        public int[] Starts => _starts;

        public int[] Lengths => _lengths;

        public int Count { get; private set; }

        public ReadOnlySpan<int> Items => _items.AsSpan(0, Count);

        public void Add(int parent, int start, int length, int item = -1)
        {
            if (Count == _parents.Length)
            {
                Array.Resize(ref _parents, Count * 2);
                Array.Resize(ref _starts, Count * 2);
                Array.Resize(ref _lengths, Count * 2);
                Array.Resize(ref _items, Count * 2);
            }
            (_parents[Count], _starts[Count], _lengths[Count], _items[Count]) = (parent, start, length, item);
            Count++;
        }

        public int[] Parents() => _parents.Length == Count ? _parents : _parents.AsSpan(0, Count).ToArray();
    }

    /// <summary>A reader over row <paramref name="row"/>'s text, with the options the source parses lines with.</summary>
    public Utf8JsonReader Reader(int row) => new(Text(row), JsonTextReading.Options);
}

/// <summary>How JSON Lines text is read, the same everywhere (the source's lines, a column's nested values).</summary>
public static class JsonTextReading
{
    public static readonly JsonReaderOptions Options = JsonReading.Options;
}
