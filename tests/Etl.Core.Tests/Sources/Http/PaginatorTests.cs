// Tests of the pagination strategies on their own: where each puts its value and when each stops.
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Etl.Records;
using Etl.Sources.Http;
using Etl.Sources.Http.Pagination;

namespace Etl.Core.Tests.Sources.Http;

public sealed class PaginatorTests
{
    private static readonly HttpRequestDescription Get = new(HttpMethod.Get, new Uri("http://h/orders?status=paid"), [], null);
    private static readonly HttpRequestDescription Post = new(HttpMethod.Post, new Uri("http://h/search"), [], new JsonObject { ["query"] = "x" });

    private static PageResponse Page(string body, int records, string? link = null)
    {
        using var response = new HttpResponseMessage();
        if (link is not null)
        {
            response.Headers.TryAddWithoutValidation("Link", link);
        }
        return new PageResponse(RecordJson.Parse(System.Text.Encoding.UTF8.GetBytes(body)), records, response.Headers, Get.Url);
    }

    [Fact]
    public void PagePaginator_FirstAndNext_SetPageAndSizeInQuery()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Page, SizeParam = "page_size", Size = 50 });

        var first = paginator.First(Get);
        var second = paginator.Next(first, Page("{}", 50))!;

        Assert.Equal("?status=paid&page_size=50&page=1", first.Url.Query);
        Assert.Equal("?status=paid&page_size=50&page=2", second.Url.Query);
    }

    [Fact]
    public void PagePaginator_InBody_SetsNumbersInTheJsonBody()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Page, In = ParamLocation.Body, SizeParam = "size", Size = 20, Start = 0 });

        var next = paginator.Next(paginator.First(Post), Page("{}", 20))!;

        Assert.Equal("""{"query":"x","size":20,"page":1}""", next.Body!.ToJsonString());
        Assert.Equal("""{"query":"x"}""", Post.Body!.ToJsonString());
    }

    [Fact]
    public void PagePaginator_InHeader_SetsHeader()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Page, Param = "X-Page", In = ParamLocation.Header });

        var next = paginator.Next(paginator.First(Get), Page("{}", 1))!;

        Assert.Equal("2", next.Headers.Single(h => h.Key == "X-Page").Value);
    }

    [Fact]
    public void OffsetPaginator_Next_AdvancesByRecordsReceived()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Offset, Limit = 100 });

        var first = paginator.First(Get);
        var next = paginator.Next(first, Page("{}", 80))!;

        Assert.Equal("?status=paid&limit=100&offset=0", first.Url.Query);
        Assert.Equal("?status=paid&limit=100&offset=80", next.Url.Query);
    }

    [Fact]
    public void OffsetPaginator_OffsetReachesTotal_Stops()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Offset, Limit = 10, TotalPath = "meta.total" });

        var next = paginator.Next(paginator.First(Get), Page("""{ "meta": { "total": 10 } }""", 10));

        Assert.Null(next);
    }

    [Fact]
    public void CursorPaginator_NextCursor_GoesInParam()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Cursor, CursorPath = "paging.next" });

        var next = paginator.Next(paginator.First(Get), Page("""{ "paging": { "next": "abc=" } }""", 5))!;

        Assert.Equal("?status=paid&cursor=abc%3D", next.Url.Query);
    }

    [Theory]
    [InlineData("""{ "next_cursor": null }""")]
    [InlineData("""{ "next_cursor": "" }""")]
    [InlineData("""{ }""")]
    public void CursorPaginator_NoNextCursor_Stops(string body)
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Cursor, CursorPath = "next_cursor" });

        Assert.Null(paginator.Next(paginator.First(Get), Page(body, 5)));
    }

    [Fact]
    public void CursorPaginator_SameCursorTwice_Stops()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Cursor, CursorPath = "c" });
        var second = paginator.Next(paginator.First(Get), Page("""{ "c": "same" }""", 5))!;

        Assert.Null(paginator.Next(second, Page("""{ "c": "same" }""", 5)));
    }

    [Fact]
    public void NextLinkPaginator_RelativeLink_ResolvesAgainstCurrentUrl()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.NextLink, Path = "links.next" });

        var next = paginator.Next(paginator.First(Get), Page("""{ "links": { "next": "/orders?page=2" } }""", 5))!;

        Assert.Equal("http://h/orders?page=2", next.Url.ToString());
    }

    [Fact]
    public void NextLinkPaginator_RelativeLinkOnARedirectedPage_ResolvesAgainstTheUrlThatAnswered()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.NextLink, Path = "next" });
        var page = Page("""{ "next": "feed?page=2" }""", 5) with { Url = new Uri("http://h/v2/feed?page=1") };

        var next = paginator.Next(paginator.First(Get), page)!;

        Assert.Equal("http://h/v2/feed?page=2", next.Url.ToString());
    }

    [Fact]
    public void LinkHeaderPaginator_RelativeLinkOnARedirectedPage_ResolvesAgainstTheUrlThatAnswered()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.LinkHeader });
        var page = Page("[]", 5, """<feed?page=2>; rel="next" """) with { Url = new Uri("http://h/v2/feed?page=1") };

        var next = paginator.Next(paginator.First(Get), page)!;

        Assert.Equal("http://h/v2/feed?page=2", next.Url.ToString());
    }

    [Fact]
    public void LinkHeaderPaginator_RelNext_IsFollowed()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.LinkHeader });

        var next = paginator.Next(paginator.First(Get), Page("[]", 5, """<http://h/orders?page=1>; rel="prev", <http://h/orders?page=3>; rel="next" """))!;

        Assert.Equal("http://h/orders?page=3", next.Url.ToString());
    }

    [Fact]
    public void LinkHeaderPaginator_NoLinkHeader_Stops()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.LinkHeader });

        Assert.Null(paginator.Next(paginator.First(Get), Page("[]", 5)));
    }

    [Theory]
    [InlineData("""<https://a/x?p=2>; rel="next" """, "https://a/x?p=2")]
    [InlineData("""<https://a/x?p=9>; rel="last", <https://a/x?p=2>; rel=next""", "https://a/x?p=2")]
    [InlineData("""<https://a/x?a=1,2>; title="a, b"; rel="prefetch next" """, "https://a/x?a=1,2")]
    [InlineData("""<https://a/x?p=9>; rel="last" """, null)]
    [InlineData("""<https://a/x?p=9>; title="see; rel=next"; rel="last" """, null)]
    [InlineData("""<https://a/x?p=1>;rel=prev ,  <https://a/x?p=2> ;  REL = "NEXT" ;title="next page" """, "https://a/x?p=2")]
    [InlineData("<https://a/x?p=2>;\trel=\"last\tnext\"", "https://a/x?p=2")]
    public void LinkHeader_Find_ReadsRfc8288Values(string header, string? expected)
    {
        Assert.Equal(expected, LinkHeader.Find([header], "next"));
    }
}
