// Offset pagination: offset=0, then advanced by the records each page held, until an empty page, the body's total,
// or a short page when the API says that ends it.
using Etl.Records;

namespace Etl.Sources.Http.Pagination;

internal sealed class OffsetPaginator(PaginationSpec spec) : Paginator
{
    private readonly string _offsetParam = spec.OffsetParam ?? PaginationSpec.DefaultOffsetParam;
    private readonly RecordPath? _total = spec.TotalPath is null ? null : RecordPath.Parse(spec.TotalPath);
    private long _offset;
    private long? _totalRecords;

    public override long? TotalRecords => _totalRecords;

    public override HttpRequestDescription First(HttpRequestDescription request)
    {
        request = Place(request, spec.In, spec.LimitParam ?? PaginationSpec.DefaultLimitParam, (long)(spec.Limit ?? PaginationSpec.DefaultLimit));
        return Place(request, spec.In, _offsetParam, _offset);
    }

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page)
    {
        // Advancing by what came back, not by the limit asked for, loses nothing when a server caps the limit.
        _offset += page.RecordCount;
        if (_total is not null && LongAt(page.Body, _total) is { } total)
        {
            _totalRecords = total;
            if (_offset >= total)
            {
                return null;
            }
        }
        if (spec.StopOnShortPage && page.RecordCount < (spec.Limit ?? PaginationSpec.DefaultLimit))
        {
            return null;
        }
        return Place(current, spec.In, _offsetParam, _offset);
    }
}
