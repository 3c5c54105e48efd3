// Stops any pagination when the body's has-more flag (has_more, meta.hasNext, pageInfo.hasNextPage) is not true.
using Etl.Records;

namespace Etl.Sources.Http.Pagination;

internal sealed class HasMoreStop(Paginator inner, RecordPath hasMore) : Paginator
{
    public override HttpRequestDescription First(HttpRequestDescription request) => inner.First(request);

    public override long? TotalRecords => inner.TotalRecords;

    public override string? Unfinished => inner.Unfinished;

    public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page) =>
        // A missing flag ends paging too: an API that stops sending it has nothing more to say.
        HasMore(page.Body) ? inner.Next(current, page) : null;

    private bool HasMore(object? body) =>
        body is Record r && hasMore.Read(r) switch
        {
            bool b => b,
            string s => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase),
            long l => l != 0,
            _ => false,
        };
}
