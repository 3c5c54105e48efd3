// Walks the pages of one request: the first page's request, then each next one from the page just read (null: done).
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Etl.Records;

namespace Etl.Sources.Http.Pagination;

/// <summary>What a paginator sees of a page: the parsed body, how many records it held, the response headers, the URL that
/// answered (after redirects: the base of a relative link), the records (of a large page read from disk, only the last one,
/// which is all a cursor from the last record needs).</summary>
internal readonly record struct PageResponse(object? Body, int RecordCount, HttpResponseHeaders Headers, Uri Url, IReadOnlyList<object?>? Items = null);

/// <summary>One walk through the pages of one request; a fresh instance per request, as it keeps the position.</summary>
internal abstract class Paginator
{
    public abstract HttpRequestDescription First(HttpRequestDescription request);

    /// <summary>The request of the next page, or null when <paramref name="page"/> was the last one.</summary>
    public abstract HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page);

    /// <summary>The records the server says the request has in all (offset pagination's totalPath), once a page told; for progress.</summary>
    public virtual long? TotalRecords => null;

    /// <summary>Why paging stopped before the server said it was done, once <see cref="Next"/> returned null for that
    /// reason (null otherwise): the pages after the last one read are accounted for by a request dead letter.</summary>
    public virtual string? Unfinished => null;

    /// <summary>A fresh walker for <paramref name="spec"/> (a single page without pagination); hasMorePath can stop any type.</summary>
    public static Paginator Create(PaginationSpec? spec) =>
        spec?.HasMorePath is { } hasMore ? new HasMoreStop(ForType(spec), RecordPath.Parse(hasMore)) : ForType(spec);

    private static Paginator ForType(PaginationSpec? spec) => spec?.Type switch
    {
        null => SinglePage.Instance,
        PaginationType.Page => new PagePaginator(spec),
        PaginationType.Offset => new OffsetPaginator(spec),
        PaginationType.Cursor => new CursorPaginator(spec),
        PaginationType.NextLink => new NextLinkPaginator(spec),
        PaginationType.LinkHeader => new LinkHeaderPaginator(),
        _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Type, "unknown pagination type"),
    };

    /// <summary>Puts a page number, offset or cursor where the spec says: query, header or JSON body.</summary>
    protected static HttpRequestDescription Place(HttpRequestDescription request, ParamLocation where, string name, object value) => where switch
    {
        ParamLocation.Header => request.WithHeader(name, Placeholders.Text(value)),
        ParamLocation.Body => request.WithBodyField(name, value switch
        {
            long l => JsonValue.Create(l),
            _ => JsonValue.Create(Placeholders.Text(value)),
        }),
        _ => request.WithQuery(name, Placeholders.Text(value)),
    };

    /// <summary>The request of the page a next link names: resolved against the URL that answered (RFC 3986 5.1.3: a redirect's
    /// target, not the URL asked for); null when it is no URL or names the page just read, or the one first asked for.</summary>
    protected static HttpRequestDescription? Follow(HttpRequestDescription current, PageResponse page, string link) =>
        Uri.TryCreate(page.Url, link, out var next) && next != page.Url && next != current.Url ? current.WithUrl(next) : null;

    /// <summary>The text at a dotted path of the body; null when missing, null or empty.</summary>
    protected static string? TextAt(object? body, RecordPath path) =>
        body is Record r && path.Read(r) is { } value && Placeholders.Text(value) is { Length: > 0 } text ? text : null;

    /// <summary>The whole number at a dotted path of the body (a number or numeric text); null otherwise.</summary>
    protected static long? LongAt(object? body, RecordPath path) =>
        TextAt(body, path) is { } text && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Keeps no position, so one instance serves every request.</summary>
    private sealed class SinglePage : Paginator
    {
        public static readonly SinglePage Instance = new();

        public override HttpRequestDescription First(HttpRequestDescription request) => request;

        public override HttpRequestDescription? Next(HttpRequestDescription current, PageResponse page) => null;
    }
}
