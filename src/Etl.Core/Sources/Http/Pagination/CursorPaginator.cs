// Cursor pagination: the next cursor comes from the body at cursorPath; paging stops when it is missing or repeats.
using Etl.Records;

namespace Etl.Sources.Http.Pagination;

internal sealed class CursorPaginator(PaginationSpec spec) : Paginator
{
    private readonly string _param = spec.Param ?? PaginationSpec.DefaultCursorParam;
    private readonly RecordPath _cursorPath = RecordPath.Parse(spec.CursorPath!);
    private string? _cursor;

    public override HttpRequestDescription First(HttpRequestDescription request) => request;

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page)
    {
        var next = TextAt(page.Body, _cursorPath);
        if (next is null || next == _cursor)
        {
            return null;
        }
        _cursor = next;
        return Place(current, spec.In, _param, next);
    }
}
