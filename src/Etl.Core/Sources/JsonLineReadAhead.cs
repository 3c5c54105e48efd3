// What a JSON line reader reads ahead of the transforms (the plan's NestedReads): named fields of top-level objects
// and of the objects in top-level arrays, read where the line reader meets them instead of skipping them.
using System.Text.Json;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources;

/// <summary>The values read from the current line, by slot: slot s of <see cref="ObjectSlot"/> holds the last object
/// met under its name; of <see cref="ElementSlot"/>, one set of fields per element of the line's arrays (indexed as the
/// line's <see cref="JsonLineFields.Elements"/>). One reader per thread at a time, as the line reader.</summary>
internal sealed class JsonLineReadAhead
{
    private readonly Dictionary<string, int> _objectSlots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _elementSlots = new(StringComparer.Ordinal);
    private readonly JsonObjectReader[] _objects;
    private readonly JsonObjectReader[] _elements;
    private readonly ObjectFieldValue[][] _objectValues;
    private readonly ObjectFieldValue[][] _elementValues;

    public JsonLineReadAhead(NestedReads reads, NamePool pool)
    {
        _objects = Readers(reads.ObjectFields, _objectSlots, pool);
        _elements = Readers(reads.ElementFields, _elementSlots, pool);
        _objectValues = [.. _objects.Select(r => new ObjectFieldValue[r.Names.Count])];
        _elementValues = [.. _elements.Select(r => new ObjectFieldValue[16 * r.Names.Count])];
    }

    public bool IsEmpty => _objects.Length == 0 && _elements.Length == 0;

    // The last name looked up and its slot, per kind: lines of one shape ask for the same pooled name line after line.
    private (string? Name, int Slot) _lastObject;
    private (string? Name, int Slot) _lastElement;

    /// <summary>The slot of objects read under <paramref name="name"/>, or -1.</summary>
    public int ObjectSlot(string name) => Slot(name, _objectSlots, ref _lastObject);

    /// <summary>The slot of array elements read under <paramref name="name"/>, or -1.</summary>
    public int ElementSlot(string name) => Slot(name, _elementSlots, ref _lastElement);

    private static int Slot(string name, Dictionary<string, int> slots, ref (string? Name, int Slot) last)
    {
        if (!ReferenceEquals(name, last.Name))
        {
            last = (name, slots.GetValueOrDefault(name, -1));
        }
        return last.Slot;
    }

    public string[] ObjectNames(int slot) => [.. _objects[slot].Names];

    public string[] ElementNames(int slot) => [.. _elements[slot].Names];

    /// <summary>The fields of the last object read into <paramref name="slot"/>.</summary>
    public ReadOnlySpan<ObjectFieldValue> Object(int slot) => _objectValues[slot];

    /// <summary>The fields of <paramref name="count"/> elements from <paramref name="first"/> on.</summary>
    public ReadOnlySpan<ObjectFieldValue> Elements(int slot, int first, int count)
    {
        var width = _elements[slot].Names.Count;
        return _elementValues[slot].AsSpan(first * width, count * width);
    }

    /// <summary>Reads the object the reader is on into <paramref name="slot"/>, leaving the reader on its end.</summary>
    public void ReadObject(int slot, ref Utf8JsonReader reader) => Read(_objects[slot], ref reader, _objectValues[slot]);

    /// <summary>Reads element <paramref name="element"/> of the line, which the reader is on, into
    /// <paramref name="slot"/> (null fields unless it is an object), leaving the reader on its end.</summary>
    public void ReadElement(int slot, int element, ref Utf8JsonReader reader)
    {
        var width = _elements[slot].Names.Count;
        ref var values = ref _elementValues[slot];
        if (values.Length < (element + 1) * width)
        {
            Array.Resize(ref values, Math.Max(values.Length * 2, (element + 1) * width));
        }
        var span = values.AsSpan(element * width, width);
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            Read(_elements[slot], ref reader, span);
            return;
        }
        span.Clear();
        reader.Skip();
    }

    // A value that does not convert (a lone surrogate escape, a number beyond a double) leaves the object unread: its
    // row is then read from the text, where the same error arises where it always has.
    private static void Read(JsonObjectReader fields, ref Utf8JsonReader reader, Span<ObjectFieldValue> values)
    {
        var start = reader;
        try
        {
            fields.Read(ref reader, values);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            reader = start;
            reader.Skip();
            values.Fill(new ObjectFieldValue(ObjectFieldKind.Unread));
        }
    }

    private static JsonObjectReader[] Readers(IReadOnlyDictionary<string, string[]> fields, Dictionary<string, int> slots, NamePool pool)
    {
        var readers = new List<JsonObjectReader>();
        foreach (var (name, names) in fields)
        {
            slots[name] = readers.Count;
            readers.Add(new JsonObjectReader([.. names.Distinct(StringComparer.Ordinal)], pool, new JsonValuePooling()));
        }
        return [.. readers];
    }
}
