// The "pagination" block of an HTTP source: which strategy walks the pages, where its value goes, when it stops.
using System.ComponentModel;

namespace Etl.Sources.Http.Pagination;

public enum PaginationType { Page, Offset, Cursor, NextLink, LinkHeader }

/// <summary>Where a page number, offset or cursor is sent.</summary>
public enum ParamLocation { Query, Header, Body }

/// <summary>Where the next cursor is read: a path of the body, or a field of the page's last record (Stripe's starting_after).</summary>
public enum CursorSource { Body, LastRecord }

public sealed record PaginationSpec
{
    public const string DefaultPageParam = "page";
    public const long DefaultPageStart = 1;
    public const string DefaultOffsetParam = "offset";
    public const string DefaultLimitParam = "limit";
    public const int DefaultLimit = 100;
    public const string DefaultCursorParam = "cursor";

    [Description("page (a page number), offset (offset and limit), cursor (a token from the body), nextLink (the next URL from the body) or linkHeader (RFC 8288 Link: <...>; rel=\"next\").")]
    public required PaginationType Type { get; init; }

    [Description("page: the page-number parameter (default \"page\"); cursor: the cursor parameter (default \"cursor\"). With \"in\": \"body\" a dotted path into the body, e.g. variables.after.")]
    public string? Param { get; init; }

    [Description("page: the first page number. Default 1.")]
    public long? Start { get; init; }

    [Description("page: the page-size parameter, sent with size.")]
    public string? SizeParam { get; init; }

    [Description("page: the page size sent in sizeParam.")]
    public int? Size { get; init; }

    [Description("offset: the offset parameter. Default \"offset\".")]
    public string? OffsetParam { get; init; }

    [Description("offset: the limit parameter. Default \"limit\".")]
    public string? LimitParam { get; init; }

    [Description("offset: records asked for per page. Default 100.")]
    public int? Limit { get; init; }

    [Description("offset, page (with size): dotted path to the total number of records in the body; paging stops once they are all read, without asking for an empty page.")]
    public string? TotalPath { get; init; }

    [Description("page: dotted path to the number of pages in the body; paging stops after that page, without asking for an empty page.")]
    public string? TotalPagesPath { get; init; }

    [Description("page (with size), offset: a page with fewer records than asked for is the last one.")]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool StopOnShortPage { get; init; }

    [Description("cursor: dotted path to the next cursor in the body (e.g. data.orders.pageInfo.endCursor); paging stops when it is missing, null or empty.")]
    public string? CursorPath { get; init; }

    [Description("cursor: body (default: the cursor is at cursorPath) or lastRecord (the cursor is cursorField of the page's last record, as in starting_after=<id>).")]
    public CursorSource? CursorFrom { get; init; }

    [Description("cursor with cursorFrom lastRecord: dotted path of the cursor in each record, e.g. id.")]
    public string? CursorField { get; init; }

    [Description("Any type: dotted path to a has-more flag in the body (has_more, meta.hasNext); paging stops when it is false, null or missing.")]
    public string? HasMorePath { get; init; }

    [Description("nextLink: dotted path to the next page's URL in the body (absolute or relative); paging stops when it is missing, null or empty.")]
    public string? Path { get; init; }

    [Description("page, offset, cursor: send the value in the query (default), a header, or the JSON body (for APIs that page by POST).")]
    public ParamLocation In { get; init; } = ParamLocation.Query;

    [Description("Stop after this many pages per request. Default: no limit (paging stops on an empty page or a missing next).")]
    public int? MaxPages { get; init; }

    internal IEnumerable<(string Path, string Message)> Validate(string path, bool isPost)
    {
        var type = HttpSpecErrors.Name(Type);
        (string Field, bool Set, PaginationType[] AppliesTo)[] fields =
        [
            ("param", Param is not null, [PaginationType.Page, PaginationType.Cursor]),
            ("start", Start is not null, [PaginationType.Page]),
            ("sizeParam", SizeParam is not null, [PaginationType.Page]),
            ("size", Size is not null, [PaginationType.Page]),
            ("offsetParam", OffsetParam is not null, [PaginationType.Offset]),
            ("limitParam", LimitParam is not null, [PaginationType.Offset]),
            ("limit", Limit is not null, [PaginationType.Offset]),
            ("totalPath", TotalPath is not null, [PaginationType.Offset, PaginationType.Page]),
            ("totalPagesPath", TotalPagesPath is not null, [PaginationType.Page]),
            ("stopOnShortPage", StopOnShortPage, [PaginationType.Page, PaginationType.Offset]),
            ("cursorPath", CursorPath is not null, [PaginationType.Cursor]),
            ("cursorFrom", CursorFrom is not null, [PaginationType.Cursor]),
            ("cursorField", CursorField is not null, [PaginationType.Cursor]),
            ("path", Path is not null, [PaginationType.NextLink]),
            ("in", In != ParamLocation.Query, [PaginationType.Page, PaginationType.Offset, PaginationType.Cursor]),
        ];
        foreach (var (field, set, appliesTo) in fields)
        {
            if (set && !appliesTo.Contains(Type))
            {
                yield return ($"{path}.{field}", $"does not apply to pagination type {type} (it applies to {string.Join(", ", appliesTo.Select(HttpSpecErrors.Name))})");
            }
        }
        foreach (var problem in ValidateCursor(path))
        {
            yield return problem;
        }
        if (Type == PaginationType.Page && Size is null && (TotalPath is not null || StopOnShortPage))
        {
            yield return ($"{path}.{(TotalPath is not null ? "totalPath" : "stopOnShortPage")}", "needs the page size: set sizeParam and size");
        }
        if (Type == PaginationType.NextLink && string.IsNullOrWhiteSpace(Path))
        {
            yield return ($"{path}.path", "required for pagination type nextLink");
        }
        if (Type == PaginationType.Page && (SizeParam is null) != (Size is null))
        {
            yield return ($"{path}.{(SizeParam is null ? "sizeParam" : "size")}", "sizeParam and size go together");
        }
        if (Size is < 1)
        {
            yield return ($"{path}.size", HttpSpecErrors.AtLeast(1, Size.Value));
        }
        if (Limit is < 1)
        {
            yield return ($"{path}.limit", HttpSpecErrors.AtLeast(1, Limit.Value));
        }
        if (MaxPages is < 1)
        {
            yield return ($"{path}.maxPages", HttpSpecErrors.AtLeast(1, MaxPages.Value));
        }
        if (In == ParamLocation.Body && !isPost)
        {
            yield return ($"{path}.in", "body needs \"method\": \"post\" on the source");
        }
        foreach (var (field, value) in new[] { ("totalPath", TotalPath), ("totalPagesPath", TotalPagesPath), ("cursorPath", CursorPath),
                                               ("cursorField", CursorField), ("hasMorePath", HasMorePath), ("path", Path) })
        {
            foreach (var problem in Etl.Spec.SpecChecks.CheckPath(value, $"{path}.{field}"))
            {
                yield return problem;
            }
        }
    }

    private IEnumerable<(string Path, string Message)> ValidateCursor(string path)
    {
        if (Type != PaginationType.Cursor)
        {
            yield break;
        }
        if (CursorFrom == CursorSource.LastRecord)
        {
            if (string.IsNullOrWhiteSpace(CursorField))
            {
                yield return ($"{path}.cursorField", "required with \"cursorFrom\": \"lastRecord\" (the field of the last record that holds the cursor, e.g. id)");
            }
            if (CursorPath is not null)
            {
                yield return ($"{path}.cursorPath", "does not apply with \"cursorFrom\": \"lastRecord\" (the cursor is read from cursorField)");
            }
            yield break;
        }
        if (string.IsNullOrWhiteSpace(CursorPath))
        {
            yield return ($"{path}.cursorPath", "required for pagination type cursor (or \"cursorFrom\": \"lastRecord\" with cursorField)");
        }
        if (CursorField is not null)
        {
            yield return ($"{path}.cursorField", "applies only with \"cursorFrom\": \"lastRecord\"");
        }
    }
}
