// Gathers, row by row, where the elements of one field's arrays lie in a chunk's bytes (the index explode reads).
using System.Runtime.CompilerServices;
using Etl.Columns;

namespace Etl.Sources;

internal sealed class JsonArrayIndexBuilder(int rows, string[]? fields = null)
{
    /// <summary>Elements per row the arrays start with room for (a chunk of longer arrays grows them).</summary>
    private const int InitialElementsPerRow = 3;

    /// <summary>Bytes of fields read ahead the arrays start with at most: below the large object heap's threshold, where
    /// each array would bring the next full collection nearer.</summary>
    private const int MaxInitialFieldBytes = 80 << 10;

    // Rows before the field's first array have no elements: the zeros the array starts with.
    private int[] _ends = new int[Math.Max(rows, 1)];
    private readonly JsonElementRanges _elements = new(InitialElements(rows, fields));
    // The fields read ahead from each element (when the source was asked for some), element after element.
    private ObjectFieldValue[] _fields = new ObjectFieldValue[fields is null ? 0 : InitialElements(rows, fields) * fields.Length];

    private static int InitialElements(int rows, string[]? fields) => fields is null ? rows * InitialElementsPerRow
        : Math.Min(rows * InitialElementsPerRow, MaxInitialFieldBytes / (Unsafe.SizeOf<ObjectFieldValue>() * Math.Max(fields.Length, 1)));

    /// <summary>Row <paramref name="row"/> holds <paramref name="count"/> elements of <paramref name="line"/> from
    /// <paramref name="first"/> on, whose line starts at byte <paramref name="lineStart"/> of the chunk, and
    /// <paramref name="read"/> their fields read ahead (when the index has fields).</summary>
    public void Add(int row, JsonElementRanges line, int first, int count, int lineStart, ReadOnlySpan<ObjectFieldValue> read)
    {
        if (fields is not null)
        {
            var at = _elements.Count * fields.Length;
            if (_fields.Length < at + read.Length)
            {
                Array.Resize(ref _fields, Math.Max(_fields.Length * 2, at + read.Length));
            }
            read.CopyTo(_fields.AsSpan(at));
        }
        for (var i = first; i < first + count; i++)
        {
            _elements.Add(lineStart + line.Starts[i], line.Lengths[i]);
        }
        _ends[row] = _elements.Count;
    }

    /// <summary>Row <paramref name="row"/> holds no array (null, or a value of another kind).</summary>
    public void AddNone(int row) => _ends[row] = _elements.Count;

    public void Grow(int rows) => Array.Resize(ref _ends, rows);

    public JsonArrayIndex Build(int rows) => new(_ends.AsSpan(0, rows).ToArray(), _elements, 0,
        fields is null ? null : new JsonFieldsRead(fields, _fields, _elements.Count));
}
