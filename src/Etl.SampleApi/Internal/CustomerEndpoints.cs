// Maps the customer listing in the paginations real APIs use (page with totals and has-more flags, Link header,
// Stripe's starting_after, a GraphQL connection), and the batched customer orders, to their handlers.
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Etl.SampleApi.Internal;

internal sealed class CustomerEndpoints(OrderCatalog catalog, SampleApiOptions options)
{
    private const int MaxBatchIds = 1000;

    private readonly FrozenSet<int> _failingPages = options.AlwaysFailingCustomerPages.ToFrozenSet();

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/customers", ListAsync);
        routes.MapPost("/graphql", GraphQlAsync);
        routes.MapGet("/customers/orders", BatchOrdersAsync);
    }

    // page=N (from 1) pages by number; starting_after=<id> starts after that customer, as Stripe does. Every page
    // carries each stop signal an API may offer: total, total_pages, has_more, meta.hasNext and a Link rel="next".
    private Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!QueryArgs.TryPageSize(query, out var size, out var error)
            || !QueryArgs.TryInt(query, "page", 1, 1, int.MaxValue, out var number, out error)
            || !QueryArgs.TryInt(query, "starting_after", 0, 0, int.MaxValue, out var after, out error))
            return ErrorResponses.BadRequestAsync(context, error);
        if (_failingPages.Contains(number))
            return ErrorResponses.InternalErrorAsync(context);
        var first = query.ContainsKey("starting_after") ? after : (int)Math.Min((number - 1L) * size, catalog.CustomerCount);
        var page = CustomerPage.From(catalog, first, size);
        if (page.HasMore && !query.ContainsKey("starting_after"))
            context.Response.Headers.Link = $"<{NextPageUrl(context.Request, number + 1)}>; rel=\"next\"";
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, page, CustomerPage.WriteListing);
    }

    // {"query": "...", "variables": {"first": N, "after": "<endCursor>"}} → data.customers {nodes, pageInfo}.
    private Task GraphQlAsync(HttpContext context)
    {
        if (RequestState.Of(context)?.Body is not { Length: > 0 } body)
            return ErrorResponses.BadRequestAsync(context, """body: expected {"query": "...", "variables": {"first": 50, "after": null}}; found nothing""");
        if (!TryReadVariables(body, out var first, out var after, out var error))
            return ErrorResponses.BadRequestAsync(context, error);
        var page = CustomerPage.From(catalog, after, first);
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, page, CustomerPage.WriteConnection);
    }

    // ids=1,2,3: the orders of those customers, for clients that batch ids into one request.
    private Task BatchOrdersAsync(HttpContext context)
    {
        var text = QueryArgs.String(context.Request.Query, "ids") ?? "";
        var ids = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1 || id > catalog.CustomerCount)
                return ErrorResponses.BadRequestAsync(context, $"query 'ids': expected customer ids from 1 to {catalog.CustomerCount}; found \"{part}\"");
            ids.Add(id);
        }
        if (ids.Count is 0 or > MaxBatchIds)
            return ErrorResponses.BadRequestAsync(context, $"query 'ids': expected 1 to {MaxBatchIds} comma-separated ids; found {ids.Count}");
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, (catalog, ids), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var id in state.ids)
            {
                state.catalog.TryGetCustomerOrders(id, out var firstOrder, out var count);
                for (var order = firstOrder; order < firstOrder + count; order++)
                    state.catalog.WriteOrder(writer, order);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static bool TryReadVariables(byte[] body, out int first, out int after, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        (first, after, error) = (SampleApiDefaults.PageSize, 0, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("variables", out var variables) || variables.ValueKind != JsonValueKind.Object)
                return true;
            if (variables.TryGetProperty("first", out var f) && (!f.TryGetInt32(out first) || first < 1 || first > SampleApiDefaults.MaxPageSize))
                error = $"body $.variables.first: expected an integer between 1 and {SampleApiDefaults.MaxPageSize}; found {f.GetRawText()}";
            else if (variables.TryGetProperty("after", out var a) && a.ValueKind != JsonValueKind.Null
                     && (a.ValueKind != JsonValueKind.String || !OrderCursor.TryDecode(a.GetString()!, out after)))
                error = $"body $.variables.after: expected the endCursor of a previous page; found {a.GetRawText()}";
            return error is null;
        }
        catch (JsonException e)
        {
            error = "body: invalid JSON (" + e.Message + ")";
            return false;
        }
    }

    private static string NextPageUrl(HttpRequest request, int page)
    {
        var query = QueryString.Create("page", page.ToString(CultureInfo.InvariantCulture));
        foreach (var name in (ReadOnlySpan<string>)["page_size", "limit"])
        {
            if (request.Query.TryGetValue(name, out var value))
                query = query.Add(name, value.ToString());
        }
        return $"{request.Scheme}://{request.Host}{request.PathBase}/customers{query}";
    }
}
