// Where the elements of each row's JSON array lie, found while the source read the line, so that explode does not
// read the arrays again.
namespace Etl.Columns;

/// <summary>Row r's array is the elements <c>[Begin(r), Ends[r])</c> of <see cref="Elements"/> (text ranges in the
/// column's bytes). A null row has none. <see cref="Fields"/>, when the source was asked for them, are fields of each
/// element's object, element by element.</summary>
internal sealed class JsonArrayIndex(int[] ends, JsonElementRanges elements, int first = 0, JsonFieldsRead? fields = null)
{
    public JsonFieldsRead? Fields { get; } = fields;

    public int[] Ends { get; } = ends;

    public JsonElementRanges Elements { get; } = elements;

    public int Begin(int row) => row == 0 ? first : Ends[row - 1];

    /// <summary>The index of rows [start, start + count), sharing the element ranges.</summary>
    public JsonArrayIndex Slice(int start, int count) => new(Ends.AsSpan(start, count).ToArray(), Elements, Begin(start), Fields);
}
