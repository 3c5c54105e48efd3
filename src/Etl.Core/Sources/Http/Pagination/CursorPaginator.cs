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
    private string? _unfinished;

    public override string? Unfinished => _unfinished;

    public override HttpRequestDescription First(HttpRequestDescription request) => request;

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page)
    {
        var last = page.Items is [.., var item] ? item : null;
        var next = TextAt(_fromLastRecord ? (last as UnreadableRecord)?.Readable ?? last : page.Body, _cursorPath);
        if (next is null && _fromLastRecord && last is UnreadableRecord)
        {
            _unfinished = $"the page's last record does not decode at cursorField '{spec.CursorField}', so the next page's cursor is unknown: the pages after this one were not requested";
        }
        if (next is null || next == _cursor)
        {
            return null;
        }
        _cursor = next;
        return Place(current, spec.In, _param, next);
    }
}
