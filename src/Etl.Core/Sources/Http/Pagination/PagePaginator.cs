// Page-number pagination: page=start, start+1, ... (with an optional page size), until an empty page, the last page
// the body announces (totalPagesPath, or totalPath with the size), or a short page when the API says that ends it.
using Etl.Records;

namespace Etl.Sources.Http.Pagination;

internal sealed class PagePaginator(PaginationSpec spec) : Paginator
{
    private readonly string _param = spec.Param ?? PaginationSpec.DefaultPageParam;
    private readonly RecordPath? _totalPages = spec.TotalPagesPath is null ? null : RecordPath.Parse(spec.TotalPagesPath);
    private readonly RecordPath? _total = spec.TotalPath is null ? null : RecordPath.Parse(spec.TotalPath);
    private readonly long _start = spec.Start ?? PaginationSpec.DefaultPageStart;
    private long _page = spec.Start ?? PaginationSpec.DefaultPageStart;

    public override HttpRequestDescription First(HttpRequestDescription request)
    {
        if (spec.SizeParam is { } sizeParam && spec.Size is { } size)
        {
            request = Place(request, spec.In, sizeParam, (long)size);
        }
        return Place(request, spec.In, _param, _page);
    }

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page)
    {
        if (IsLast(page))
        {
            return null;
        }
        return Place(current, spec.In, _param, ++_page);
    }

    private bool IsLast(PageResponse page)
    {
        if (spec.StopOnShortPage && page.RecordCount < spec.Size)
        {
            return true;
        }
        // Pages read so far, counted from the start page (which may be 0).
        var read = _page - _start + 1;
        if (_totalPages is not null && LongAt(page.Body, _totalPages) is { } pages && read >= pages)
        {
            return true;
        }
        return _total is not null && spec.Size is { } size && LongAt(page.Body, _total) is { } total && read * size >= total;
    }
}
