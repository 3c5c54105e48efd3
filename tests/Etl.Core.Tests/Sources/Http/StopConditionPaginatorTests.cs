// Tests of the stop conditions on their own: has-more flags, page totals, short pages, cursors from the last record or nested bodies.
using System.Text.Json.Nodes;
using Etl.Records;
using Etl.Sources.Http;
using Etl.Sources.Http.Pagination;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.Http;

public sealed class StopConditionPaginatorTests
{
    private static readonly HttpRequestDescription Get = new(HttpMethod.Get, new Uri("http://h/customers"), [], null);
    private static readonly HttpRequestDescription Post = new(HttpMethod.Post, new Uri("http://h/graphql"), [], new JsonObject { ["query"] = "q" });

    private static PageResponse Page(string body)
    {
        using var response = new HttpResponseMessage();
        var root = RecordJson.Parse(System.Text.Encoding.UTF8.GetBytes(body));
        var items = root is Record r && r["data"] is IReadOnlyList<object?> list ? list : [];
        return new PageResponse(root, items.Count, response.Headers, Get.Url, items);
    }

    private static PaginationSpec PageSpec(int size = 2) => new() { Type = PaginationType.Page, SizeParam = "page_size", Size = size };

    [Theory]
    [InlineData("""{ "data": [{}], "meta": { "hasNext": false } }""")]
    [InlineData("""{ "data": [{}], "meta": { "hasNext": null } }""")]
    [InlineData("""{ "data": [{}] }""")]
    public void HasMorePath_FlagNotTrue_StopsPaging(string body)
    {
        var paginator = Paginator.Create(PageSpec() with { HasMorePath = "meta.hasNext" });

        Assert.Null(paginator.Next(paginator.First(Get), Page(body)));
    }

    [Fact]
    public void HasMorePath_FlagTrue_AsksForTheNextPage()
    {
        var paginator = Paginator.Create(PageSpec() with { HasMorePath = "meta.hasNext" });

        var next = paginator.Next(paginator.First(Get), Page("""{ "data": [{}], "meta": { "hasNext": true } }"""));

        Assert.Equal("?page_size=2&page=2", next!.Url.Query);
    }

    [Fact]
    public void PagePaginator_TotalPagesReached_StopsWithoutAnEmptyPage()
    {
        var paginator = Paginator.Create(PageSpec() with { TotalPagesPath = "total_pages" });
        var first = paginator.First(Get);

        var second = paginator.Next(first, Page("""{ "data": [{}, {}], "total_pages": 2 }"""));

        Assert.Null(paginator.Next(second!, Page("""{ "data": [{}, {}], "total_pages": 2 }""")));
    }

    [Fact]
    public void PagePaginator_TotalRecordsRead_StopsWithoutAnEmptyPage()
    {
        var paginator = Paginator.Create(PageSpec() with { TotalPath = "total" });
        var first = paginator.First(Get);

        var second = paginator.Next(first, Page("""{ "data": [{}, {}], "total": 3 }"""));

        Assert.Null(paginator.Next(second!, Page("""{ "data": [{}], "total": 3 }""")));
    }

    [Fact]
    public void PagePaginator_ShortPageWithStopOnShortPage_Stops()
    {
        var paginator = Paginator.Create(PageSpec() with { StopOnShortPage = true });

        Assert.Null(paginator.Next(paginator.First(Get), Page("""{ "data": [{}] }""")));
    }

    [Fact]
    public void PagePaginator_ShortPageWithoutStopOnShortPage_GoesOn()
    {
        var paginator = Paginator.Create(PageSpec());

        Assert.NotNull(paginator.Next(paginator.First(Get), Page("""{ "data": [{}] }""")));
    }

    [Fact]
    public void OffsetPaginator_ShortPageWithStopOnShortPage_Stops()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Offset, Limit = 2, StopOnShortPage = true });

        Assert.Null(paginator.Next(paginator.First(Get), Page("""{ "data": [{}] }""")));
    }

    [Fact]
    public void CursorPaginator_FromLastRecord_SendsTheLastRecordsField()
    {
        var paginator = Paginator.Create(new PaginationSpec
        {
            Type = PaginationType.Cursor,
            CursorFrom = CursorSource.LastRecord,
            CursorField = "id",
            Param = "starting_after",
        });

        var next = paginator.Next(paginator.First(Get), Page("""{ "data": [{ "id": "cus_1" }, { "id": "cus_2" }] }"""));

        Assert.Equal("?starting_after=cus_2", next!.Url.Query);
    }

    [Fact]
    public void CursorPaginator_FromLastRecordOfAnEmptyPage_Stops()
    {
        var paginator = Paginator.Create(new PaginationSpec { Type = PaginationType.Cursor, CursorFrom = CursorSource.LastRecord, CursorField = "id" });

        Assert.Null(paginator.Next(paginator.First(Get), Page("""{ "data": [] }""")));
    }

    [Fact]
    public void CursorPaginator_NestedPathIntoNestedBody_SetsTheVariable()
    {
        var paginator = Paginator.Create(new PaginationSpec
        {
            Type = PaginationType.Cursor,
            In = ParamLocation.Body,
            Param = "variables.after",
            CursorPath = "data.orders.pageInfo.endCursor",
            HasMorePath = "data.orders.pageInfo.hasNextPage",
        });

        var next = paginator.Next(paginator.First(Post), Page("""{ "data": { "orders": { "pageInfo": { "endCursor": "c2", "hasNextPage": true } } } }"""));

        Assert.Equal("""{"query":"q","variables":{"after":"c2"}}""", next!.Body!.ToJsonString());
    }
}
