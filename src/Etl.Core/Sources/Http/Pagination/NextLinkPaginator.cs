// Next-link pagination: the body names the next page's URL (absolute, or relative to the URL that answered).
using Etl.Records;

namespace Etl.Sources.Http.Pagination;

internal sealed class NextLinkPaginator(PaginationSpec spec) : Paginator
{
    private readonly RecordPath _path = RecordPath.Parse(spec.Path!);

    public override HttpRequestDescription First(HttpRequestDescription request) => request;

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page) =>
        TextAt(page.Body, _path) is { } link ? Follow(current, page, link) : null;
}
