// Page-number pagination: page=start, start+1, ... (with an optional page size), until an empty page.
namespace Etl.Sources.Http.Pagination;

internal sealed class PagePaginator(PaginationSpec spec) : Paginator
{
    private readonly string _param = spec.Param ?? PaginationSpec.DefaultPageParam;
    private long _page = spec.Start ?? PaginationSpec.DefaultPageStart;

    public override HttpRequestDescription First(HttpRequestDescription request)
    {
        if (spec.SizeParam is { } sizeParam && spec.Size is { } size)
        {
            request = Place(request, spec.In, sizeParam, (long)size);
        }
        return Place(request, spec.In, _param, _page);
    }

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page) =>
        Place(current, spec.In, _param, ++_page);
}
