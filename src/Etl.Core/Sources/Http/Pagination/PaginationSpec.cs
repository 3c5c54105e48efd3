// The "pagination" block of an HTTP source: which strategy walks the pages, where its value goes, when it stops.
using System.ComponentModel;

namespace Etl.Sources.Http.Pagination;

public enum PaginationType { Page, Offset, Cursor, NextLink, LinkHeader }

/// <summary>Where a page number, offset or cursor is sent.</summary>
public enum ParamLocation { Query, Header, Body }

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

    [Description("page: the page-number parameter (default \"page\"); cursor: the cursor parameter (default \"cursor\").")]
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

    [Description("offset: dotted path to the total number of records in the body; paging stops once the offset reaches it.")]
    public string? TotalPath { get; init; }

    [Description("cursor: dotted path to the next cursor in the body; paging stops when it is missing, null or empty.")]
    public string? CursorPath { get; init; }

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
            ("totalPath", TotalPath is not null, [PaginationType.Offset]),
            ("cursorPath", CursorPath is not null, [PaginationType.Cursor]),
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
        if (Type == PaginationType.Cursor && string.IsNullOrWhiteSpace(CursorPath))
        {
            yield return ($"{path}.cursorPath", "required for pagination type cursor");
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
        foreach (var (field, value) in new[] { ("totalPath", TotalPath), ("cursorPath", CursorPath), ("path", Path) })
        {
            foreach (var problem in Etl.Spec.SpecChecks.CheckPath(value, $"{path}.{field}"))
            {
                yield return problem;
            }
        }
    }
}
