// One page of orders and the pagination fields that go with it, written as {"data": [...], ...}.
using System.Text.Json;

namespace Etl.SampleApi.Internal;

[Flags]
internal enum PageFields
{
    None = 0,
    Total = 1,
    NextCursor = 2,
    NextLink = 4,
}

/// <summary>Orders at indexes [Start, End) of <see cref="View"/>, plus the fields named by <see cref="Fields"/>.</summary>
internal readonly record struct OrderPage(
    OrderCatalog Catalog, OrderView View, int Start, int End, PageFields Fields = PageFields.None,
    string? NextCursor = null, string? NextLink = null)
{
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText TotalName = JsonEncodedText.Encode("total");
    private static readonly JsonEncodedText NextCursorName = JsonEncodedText.Encode("next_cursor");
    private static readonly JsonEncodedText NextName = JsonEncodedText.Encode("next");

    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="size"/> orders; empty after the last page.</summary>
    public static OrderPage Numbered(OrderCatalog catalog, OrderView view, int page, int size) =>
        Slice(catalog, view, (page - 1L) * size, size);

    /// <summary>Up to <paramref name="size"/> orders from index <paramref name="start"/>, clamped to the view.</summary>
    public static OrderPage Slice(OrderCatalog catalog, OrderView view, long start, int size)
    {
        var first = (int)Math.Min(start, view.Count);
        return new OrderPage(catalog, view, first, (int)Math.Min((long)first + size, view.Count));
    }

    /// <summary>Whether orders remain after this page.</summary>
    public bool HasMore => End < View.Count;

    /// <summary>The cursor that resumes after this page, or null when nothing remains.</summary>
    public string? CursorAfter() => HasMore ? OrderCursor.Encode(View.IdAt(End - 1)) : null;

    public static void Write(Utf8JsonWriter writer, OrderPage page)
    {
        writer.WriteStartObject();
        writer.WriteStartArray(DataName);
        for (var i = page.Start; i < page.End; i++)
            page.Catalog.WriteOrder(writer, page.View.IdAt(i));
        writer.WriteEndArray();
        if ((page.Fields & PageFields.Total) != 0)
            writer.WriteNumber(TotalName, page.View.Count);
        if ((page.Fields & PageFields.NextCursor) != 0)
            WriteStringOrNull(writer, NextCursorName, page.NextCursor);
        if ((page.Fields & PageFields.NextLink) != 0)
            WriteStringOrNull(writer, NextName, page.NextLink);
        writer.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
            writer.WriteNull(name);
        else
            writer.WriteString(name, value);
    }
}
