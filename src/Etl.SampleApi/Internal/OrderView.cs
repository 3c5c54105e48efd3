// An ordered subset of order ids (all of them, or those with one status) that pagination walks by index.
namespace Etl.SampleApi.Internal;

internal readonly struct OrderView
{
    private readonly int[]? _ids;

    private OrderView(int[]? ids, int count)
    {
        _ids = ids;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Ids 1..count without storing them.</summary>
    public static OrderView Range(int count) => new(null, count);

    /// <summary>The given ids, ascending.</summary>
    public static OrderView Of(int[] ascendingIds) => new(ascendingIds, ascendingIds.Length);

    public int IdAt(int index) => _ids is null ? index + 1 : _ids[index];

    /// <summary>Index of the first id greater than <paramref name="id"/>: where a cursor "after id" resumes.</summary>
    public int IndexAfter(int id)
    {
        if (_ids is null)
            return Math.Clamp(id, 0, Count);
        var found = Array.BinarySearch(_ids, id);
        return found >= 0 ? found + 1 : ~found;
    }
}
