// Lines of one shape (the same top-level names in the same order) gathered into one column batch.
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources;

internal sealed class JsonLineRun
{
    private const int InitialRows = 1024;

    private readonly List<string> _lineNames;
    private readonly byte[] _text;
    // A field's scalars, typed while they have one kind (null until the field has one; then one entry per row, null
    // where the row's value is nested or null).
    private readonly ScalarColumnBuilder?[] _scalars;
    private readonly int[]?[] _starts;
    private readonly int[]?[] _lengths;
    // Where a field's array elements lie, while every nested value of the field is an array.
    private readonly JsonArrayIndexBuilder?[] _arrays;
    private readonly bool[] _objects;
    // Fields read ahead from a field's objects (row after row) and their names, for fields the plan reads into.
    private readonly ObjectFieldValue[]?[] _read;
    private readonly string[]?[] _readNames;
    private readonly int[] _objectSlots;
    private readonly int[] _elementSlots;
    private readonly JsonLineReadAhead _readAhead;
    private long[] _lines;

    /// <summary>A run of the shape of <paramref name="first"/> (its name strings are compared by reference first) in a
    /// chunk whose bytes are <paramref name="text"/>: nested values stay there, and their columns keep it.</summary>
    public JsonLineRun(JsonLineFields first, string[] names, byte[] text, int capacity)
    {
        Names = names;
        _text = text;
        _lineNames = [.. first.Names];
        _scalars = new ScalarColumnBuilder?[names.Length];
        _starts = new int[names.Length][];
        _lengths = new int[names.Length][];
        _arrays = new JsonArrayIndexBuilder?[names.Length];
        _objects = new bool[names.Length];
        _lines = new long[Math.Max(capacity, 1)];
        _readAhead = first.ReadAhead;
        _objectSlots = [.. names.Select(_readAhead.ObjectSlot)];
        _elementSlots = [.. names.Select(_readAhead.ElementSlot)];
        _read = new ObjectFieldValue[names.Length][];
        _readNames = [.. _objectSlots.Select(s => s < 0 ? null : _readAhead.ObjectNames(s))];
    }

    /// <summary>Whether a column of the run refers to the chunk's bytes (which must then not go back to the pool).</summary>
    public bool UsesText => _starts.Any(s => s is not null);

    public string[] Names { get; }

    public int Rows { get; private set; }

    public bool Fits(JsonLineFields line)
    {
        var names = line.Names;
        if (names.Count != _lineNames.Count)
        {
            return false;
        }
        for (var i = 0; i < names.Count; i++)
        {
            if (!ReferenceEquals(names[i], _lineNames[i]) && !string.Equals(names[i], _lineNames[i], StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Adds the line that starts at byte <paramref name="lineStart"/> of the chunk.</summary>
    public void Add(JsonLineFields line, int lineStart, long lineNumber)
    {
        if (Rows == _lines.Length)
        {
            Grow();
        }
        _lines[Rows] = lineNumber;
        for (var f = 0; f < Names.Length; f++)
        {
            var value = line.Values[f];
            switch (value.Kind)
            {
                case JsonFieldKind.Nested:
                    (_starts[f] ??= new int[_lines.Length])[Rows] = lineStart + value.Start;
                    (_lengths[f] ??= new int[_lines.Length])[Rows] = value.Length;
                    _scalars[f]?.AddNull();
                    AddElements(f, line, value, lineStart);
                    AddRead(f, value);
                    break;
                case JsonFieldKind.Null: _scalars[f]?.AddNull(); _arrays[f]?.AddNone(Rows); break;
                case JsonFieldKind.Long: Scalars(f).Add(value.Long); break;
                case JsonFieldKind.Double: Scalars(f).Add(value.Double); break;
                case JsonFieldKind.True: Scalars(f).Add(true); break;
                case JsonFieldKind.False: Scalars(f).Add(false); break;
                default: Scalars(f).Add(value.String!); break;
            }
        }
        Rows++;
    }

    // A scalar makes the field a column of values (no index); an object ends its index (explode reads the text then).
    private void AddElements(int field, JsonLineFields line, JsonFieldValue value, int lineStart)
    {
        if (value.ElementCount < 0)
        {
            _objects[field] = true;
        }
        else if (!_objects[field])
        {
            var slot = _elementSlots[field];
            var read = slot < 0 ? default : _readAhead.Elements(slot, value.FirstElement, value.ElementCount);
            (_arrays[field] ??= new JsonArrayIndexBuilder(_lines.Length, slot < 0 ? null : _readAhead.ElementNames(slot)))
                .Add(Rows, line.Elements, value.FirstElement, value.ElementCount, lineStart, read);
        }
    }

    // The fields read ahead from the row's object; any other row's stay null, as reading them from its text gives.
    private void AddRead(int field, JsonFieldValue value)
    {
        if (value.ElementCount >= 0 || _readNames[field] is not { } names)
        {
            return;
        }
        var read = _read[field] ??= new ObjectFieldValue[_lines.Length * names.Length];
        _readAhead.Object(_objectSlots[field]).CopyTo(read.AsSpan(Rows * names.Length));
    }

    // The field's scalars, begun with a null for each row before.
    private ScalarColumnBuilder Scalars(int field)
    {
        if (_scalars[field] is { } scalars)
        {
            return scalars;
        }
        scalars = new ScalarColumnBuilder(_lines.Length);
        for (var r = 0; r < Rows; r++)
        {
            scalars.AddNull();
        }
        return _scalars[field] = scalars;
    }

    private void Grow()
    {
        var size = _lines.Length * 2;
        Array.Resize(ref _lines, size);
        for (var f = 0; f < Names.Length; f++)
        {
            if (_starts[f] is not null)
            {
                Array.Resize(ref _starts[f], size);
                Array.Resize(ref _lengths[f], size);
            }
            _arrays[f]?.Grow(size);
            if (_read[f] is not null)
            {
                Array.Resize(ref _read[f], size * _readNames[f]!.Length);
            }
        }
    }

    /// <summary>The run as a column batch: scalar fields typed where they have one kind, nested fields as text, a field
    /// that mixes both as the values themselves.</summary>
    public ColumnBatch Build(string file)
    {
        var columns = new Column[Names.Length];
        for (var f = 0; f < columns.Length; f++)
        {
            var scalars = _scalars[f]?.Build();
            columns[f] = _starts[f] is not { } starts ? scalars ?? new ValueColumn(new object?[Rows], Rows)
                : scalars is null ? new JsonTextColumn(_text, starts, _lengths[f]!, Rows) { Arrays = _objects[f] ? null : _arrays[f]?.Build(Rows), Fields = Read(f) }
                : Mixed(new JsonTextColumn(_text, starts, _lengths[f]!, Rows), scalars);
        }
        return new ColumnBatch(Names, columns, Rows, new BatchOrigins(file, _lines.AsSpan(0, Rows).ToArray()));
    }

    private JsonFieldsRead? Read(int field) => _read[field] is { } read ? new JsonFieldsRead(_readNames[field]!, read, Rows) : null;

    private Column Mixed(JsonTextColumn nested, Column scalars)
    {
        var values = new object?[Rows];
        for (var r = 0; r < Rows; r++)
        {
            values[r] = nested.IsNull(r) ? scalars.GetValue(r) : nested.GetValue(r);
        }
        return ColumnOfValues.From(values, Rows);
    }
}
