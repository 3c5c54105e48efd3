// Text ranges of JSON array elements, appended as a reader meets them (growing arrays, no list of tuples).
namespace Etl.Columns;

/// <summary>Element i is the text <c>[Starts[i], Starts[i] + Lengths[i])</c>; length 0 stands for a null element. The
/// arrays may be longer than <see cref="Count"/>.</summary>
internal sealed class JsonElementRanges(int capacity)
{
    private int[] _starts = new int[Math.Max(capacity, 1)];
    private int[] _lengths = new int[Math.Max(capacity, 1)];

    public int[] Starts => _starts;

    public int[] Lengths => _lengths;

    public int Count { get; private set; }

    public void Add(int start, int length)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
        }
        (_starts[Count], _lengths[Count]) = (start, length);
        Count++;
    }

    public void Clear() => Count = 0;
}
