// Cursor pagination: the next cursor comes from the body at cursorPath, or from a field of the page's last record;
// paging stops when it is missing or repeats.
using Etl.Records;

namespace Etl.Sources.Http.Pagination;

internal sealed class CursorPaginator(PaginationSpec spec) : Paginator
{
    private readonly string _param = spec.Param ?? PaginationSpec.DefaultCursorParam;
    private readonly RecordPath _cursorPath = RecordPath.Parse(spec.CursorFrom == CursorSource.LastRecord ? spec.CursorField! : spec.CursorPath!);
    private readonly bool _fromLastRecord = spec.CursorFrom == CursorSource.LastRecord;
    private string? _cursor;

    public override HttpRequestDescription First(HttpRequestDescription request) => request;

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page)
    {
        var source = _fromLastRecord ? page.Items is [.., var last] ? last : null : page.Body;
        var next = TextAt(source, _cursorPath);
        if (next is null || next == _cursor)
        {
            return null;
        }
        _cursor = next;
        return Place(current, spec.In, _param, next);
    }
}
