// One page of customers (ids after First), written as a REST listing or as a GraphQL connection.
using System.Text.Json;

namespace Etl.SampleApi.Internal;

/// <summary>Customers First+1 .. First+Count of <see cref="Catalog"/>; ids are consecutive, so an index is an id.</summary>
internal readonly record struct CustomerPage(OrderCatalog Catalog, int First, int Count, int Size)
{
    public static CustomerPage From(OrderCatalog catalog, int after, int size)
    {
        var first = Math.Min(after, catalog.CustomerCount);
        return new CustomerPage(catalog, first, Math.Min(size, catalog.CustomerCount - first), size);
    }

    public bool HasMore => First + Count < Catalog.CustomerCount;

    public static void WriteListing(Utf8JsonWriter writer, CustomerPage page)
    {
        writer.WriteStartObject();
        page.WriteCustomers(writer, "data");
        writer.WriteBoolean("has_more", page.HasMore);
        writer.WriteNumber("total", page.Catalog.CustomerCount);
        writer.WriteNumber("total_pages", (page.Catalog.CustomerCount + page.Size - 1) / page.Size);
        writer.WriteStartObject("meta");
        writer.WriteBoolean("hasNext", page.HasMore);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteConnection(Utf8JsonWriter writer, CustomerPage page)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("data");
        writer.WriteStartObject("customers");
        page.WriteCustomers(writer, "nodes");
        writer.WriteStartObject("pageInfo");
        if (page.Count > 0)
            writer.WriteString("endCursor", OrderCursor.Encode(page.First + page.Count));
        else
            writer.WriteNull("endCursor");
        writer.WriteBoolean("hasNextPage", page.HasMore);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void WriteCustomers(Utf8JsonWriter writer, string name)
    {
        writer.WriteStartArray(name);
        for (var id = First + 1; id <= First + Count; id++)
            Catalog.WriteCustomer(writer, id);
        writer.WriteEndArray();
    }
}
