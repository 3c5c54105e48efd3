// Maps the sample API's routes (orders in every pagination style, search, customer orders, the customer listing) to their handlers.
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Etl.SampleApi.Internal;

internal sealed class SampleApiEndpoints(OrderCatalog catalog, SampleApiOptions options)
{
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");

    private readonly FrozenSet<int> _alwaysFailing = options.AlwaysFailingIds.ToFrozenSet();

    public void Map(IEndpointRouteBuilder routes)
    {
        // Plain RequestDelegates: no parameter binding to generate, no per-request binding cost.
        routes.MapGet("/orders/{id:int}", GetOrderAsync);
        routes.MapGet("/orders", GetOrdersAsync);
        routes.MapGet("/orders/links", GetOrdersWithNextLinkAsync);
        routes.MapGet("/orders/linkheader", GetOrdersWithLinkHeaderAsync);
        routes.MapPost("/search", SearchAsync);
        routes.MapGet("/customers/{id:int}/orders", GetCustomerOrdersAsync);
        new CustomerEndpoints(catalog, options).Map(routes);
        ExportEndpoint.Map(routes);
        routes.MapFallback("{*path}", context => ErrorResponses.NotFoundAsync(
            context, $"no route for {context.Request.Method} {context.Request.Path}"));
    }

    private Task GetOrderAsync(HttpContext context)
    {
        if (!TryGetRouteId(context, out var id))
            return ErrorResponses.NotFoundAsync(context, $"order {RouteId(context)} not found");
        if (_alwaysFailing.Contains(id))
            return ErrorResponses.InternalErrorAsync(context);
        if (!catalog.ContainsOrder(id))
            return ErrorResponses.NotFoundAsync(context, $"order {RouteId(context)} not found");
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, (catalog, id), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName(DataName);
            state.catalog.WriteOrder(writer, state.id);
            writer.WriteEndObject();
        });
    }

    // One route, four styles: the first of cursor, offset or page present picks the style; with none of them the
    // first page carries both "total" and "next_cursor", so offset and cursor clients can both start without one.
    private Task GetOrdersAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var view = catalog.View(QueryArgs.String(query, "status"));
        if (!QueryArgs.TryPageSize(query, out var size, out var error))
            return ErrorResponses.BadRequestAsync(context, error);

        OrderPage page;
        if (query.TryGetValue("cursor", out var cursor))
        {
            var start = 0;
            if (cursor.ToString() is { Length: > 0 } text)
            {
                if (!OrderCursor.TryDecode(text, out var lastId))
                    return ErrorResponses.BadRequestAsync(context,
                        $"query 'cursor': expected the next_cursor of a previous page; found \"{text}\"");
                start = view.IndexAfter(lastId);
            }
            page = OrderPage.Slice(catalog, view, start, size);
            page = page with { Fields = PageFields.NextCursor, NextCursor = page.CursorAfter() };
        }
        else if (query.ContainsKey("offset"))
        {
            if (!QueryArgs.TryInt(query, "offset", 0, 0, int.MaxValue, out var offset, out error))
                return ErrorResponses.BadRequestAsync(context, error);
            page = OrderPage.Slice(catalog, view, offset, size) with { Fields = PageFields.Total };
        }
        else if (query.ContainsKey("page"))
        {
            if (!QueryArgs.TryInt(query, "page", 1, 1, int.MaxValue, out var number, out error))
                return ErrorResponses.BadRequestAsync(context, error);
            page = OrderPage.Numbered(catalog, view, number, size);
        }
        else
        {
            page = OrderPage.Slice(catalog, view, 0, size);
            page = page with { Fields = PageFields.Total | PageFields.NextCursor, NextCursor = page.CursorAfter() };
        }
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, page, OrderPage.Write);
    }

    private Task GetOrdersWithNextLinkAsync(HttpContext context) => GetNumberedPageAsync(context, "/orders/links", linkInBody: true);

    private Task GetOrdersWithLinkHeaderAsync(HttpContext context) => GetNumberedPageAsync(context, "/orders/linkheader", linkInBody: false);

    // The next page's absolute URL goes in the body's "next" (null on the last page) or in an RFC 8288 Link header
    // (absent on the last page); it keeps page_size and status so following it needs no knowledge of the API.
    private Task GetNumberedPageAsync(HttpContext context, string path, bool linkInBody)
    {
        var query = context.Request.Query;
        var view = catalog.View(QueryArgs.String(query, "status"));
        if (!QueryArgs.TryPageSize(query, out var size, out var error)
            || !QueryArgs.TryInt(query, "page", 1, 1, int.MaxValue, out var number, out error))
            return ErrorResponses.BadRequestAsync(context, error);

        var page = OrderPage.Numbered(catalog, view, number, size);
        var next = page.HasMore ? NextPageUrl(context.Request, path, number + 1, options.NextLinkHost, options.RelativeNextLinks) : null;
        if (linkInBody)
            page = page with { Fields = PageFields.NextLink, NextLink = next };
        else if (next is not null)
            context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, page, OrderPage.Write);
    }

    private Task SearchAsync(HttpContext context)
    {
        if (RequestState.Of(context)?.Body is not { Length: > 0 } body)
            return ErrorResponses.BadRequestAsync(context,
                """body: expected a JSON object like {"query": "status:paid", "page": 1, "size": 100}; found nothing""");
        if (!SearchRequest.TryParse(body, out var search, out var error))
            return ErrorResponses.BadRequestAsync(context, error);
        var page = OrderPage.Numbered(catalog, catalog.View(search.Status), search.Page, search.Size);
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, page, OrderPage.Write);
    }

    private Task GetCustomerOrdersAsync(HttpContext context)
    {
        if (!TryGetRouteId(context, out var id))
            return ErrorResponses.NotFoundAsync(context, $"customer {RouteId(context)} not found");
        if (_alwaysFailing.Contains(id))
            return ErrorResponses.InternalErrorAsync(context);
        if (!catalog.TryGetCustomerOrders(id, out var firstOrderId, out var count))
            return ErrorResponses.NotFoundAsync(context, $"customer {RouteId(context)} not found");
        // A customer's orders are consecutive ids, hence consecutive indexes of the unfiltered view.
        var page = new OrderPage(catalog, catalog.All, firstOrderId - 1, firstOrderId - 1 + count);
        return JsonResponse.WriteAsync(context, StatusCodes.Status200OK, page, OrderPage.Write);
    }

    private static string NextPageUrl(HttpRequest request, string path, int page, string? host, bool relative)
    {
        var query = QueryString.Create("page", page.ToString(CultureInfo.InvariantCulture));
        foreach (var name in (ReadOnlySpan<string>)["page_size", "limit", "status"])
        {
            if (request.Query.TryGetValue(name, out var value))
                query = query.Add(name, value.ToString());
        }
        if (relative)
            return $"{path[(path.LastIndexOf('/') + 1)..]}{query}";
        var authority = host is null ? request.Host.ToString() : $"{host}:{request.Host.Port}";
        return $"{request.Scheme}://{authority}{request.PathBase}{path}{query}";
    }

    private static string? RouteId(HttpContext context) => context.Request.RouteValues["id"] as string;

    private static bool TryGetRouteId(HttpContext context, out int id) =>
        int.TryParse(RouteId(context), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out id);
}
