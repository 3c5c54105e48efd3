// Tests of "values.<name>.request" and the new pagination fields in a spec: what loads, and the exact text of each problem.
using Etl.Sources.Http;
using Etl.Sources.Http.Pagination;
using Etl.Spec;

namespace Etl.Core.Tests.Sources.Http;

public sealed class ValueRequestSpecTests
{
    private static string Problems(string source)
    {
        var e = Assert.Throws<SpecException>(() => SpecLoader.Parse(HttpTestRuns.Spec(source, "/tmp/unused"), "test.json"));
        return string.Join("\n", e.Errors.Select(x => $"{x.JsonPath}: {x.Message}"));
    }

    private static string WithRequest(string request, string path = "/customers/{id}/orders") =>
        $$"""{ "type": "http", "baseUrl": "http://h", "path": "{{path}}", "values": { "id": { "request": {{request}} } } }""";

    [Fact]
    public void ValueRequestSpec_IssueExample_Loads()
    {
        var loaded = SpecLoader.Parse(HttpTestRuns.Spec(WithRequest("""
            { "path": "/customers", "query": { "_page": "1", "_limit": "50" }, "pagination": { "type": "linkHeader" },
              "recordPath": "data", "field": "id", "carry": ["name", "country"] }
            """), "/tmp/unused"), "test.json");

        var request = ((HttpSourceSpec)loaded.Spec.Source).Values!["id"].Request!;
        Assert.Equal(("/customers", "id", "name,country"), (request.Path, request.Field, string.Join(",", request.Carry!)));
        Assert.Equal(PaginationType.LinkHeader, request.Pagination!.Type);
    }

    [Fact]
    public void ValueRequestSpec_Defaults_ArePinned()
    {
        Assert.Equal((",", 10_000), (ValueRequestSpec.DefaultSeparator, ValueRequestSpec.MaxChunk));
        Assert.Equal(256, RequestValueSet.Buffered);
    }

    [Fact]
    public void ValueRequestSpec_WithoutField_NamesTheMissingField()
    {
        Assert.Equal("$.source.values.id.request: missing required field \"field\"", Problems(WithRequest("""{ "path": "/customers" }""")));
    }

    [Fact]
    public void ValueRequestSpec_MisspelledField_SuggestsTheRightName()
    {
        Assert.Equal("$.source.values.id.request.fild: unknown field \"fild\" (did you mean \"field\"?)",
            Problems(WithRequest("""{ "path": "/customers", "field": "id", "fild": "id" }""")));
    }

    [Fact]
    public void ValueRequestSpec_NotFirstInValues_IsRefused()
    {
        Assert.Equal(
            "$.source.values.id.request: a value set fed by a request must be the first entry of \"values\" (it is streamed once, never kept)",
            Problems("""
                { "type": "http", "baseUrl": "http://h", "path": "/{n}/{id}",
                  "values": { "n": [1, 2], "id": { "request": { "path": "/customers", "field": "id" } } } }
                """));
    }

    [Fact]
    public void ValueRequestSpec_ChunkWithCarry_IsRefused()
    {
        Assert.Equal(
            "$.source.values.id.request.carry: a chunk joins many parents into one request, so there is no one parent to carry fields from; drop carry or chunk",
            Problems(WithRequest("""{ "path": "/customers", "field": "id", "chunk": 50, "carry": ["name"] }""")));
    }

    [Fact]
    public void ValueRequestSpec_ChunkOutOfRange_IsRefused()
    {
        Assert.Equal("$.source.values.id.request.chunk: expected a number from 1 to 10000; got 0",
            Problems(WithRequest("""{ "path": "/customers", "field": "id", "chunk": 0 }""")));
    }

    [Fact]
    public void ValueRequestSpec_UnknownPlaceholderInItsPath_IsRefused()
    {
        Assert.Equal("$.source.values.id.request.path: placeholder {org} has no entry in \"values\"",
            Problems(WithRequest("""{ "path": "/orgs/{org}/customers", "field": "id" }""")));
    }

    [Fact]
    public void ValueRequestSpec_OwnValues_AreKnownToTheChildPath()
    {
        var loaded = SpecLoader.Parse(HttpTestRuns.Spec(WithRequest("""
            { "path": "/orgs/{org}/repos", "field": "name", "values": { "org": ["a", "b"] } }
            """, "/repos/{org}/{id}/issues"), "/tmp/unused"), "test.json");

        Assert.Equal(["id", "org"], ValueSetSpec.NamesOf(((HttpSourceSpec)loaded.Spec.Source).Values));
    }

    [Fact]
    public void ValueRequestSpec_PlaceholderDefinedTwice_IsRefused()
    {
        Assert.Equal("$.source.values: placeholder {id} is defined twice (a parent request's \"values\" are placeholders of its children too)",
            Problems(WithRequest("""{ "path": "/x/{id}", "field": "id", "values": { "id": [1] } }""")));
    }

    [Fact]
    public void PaginationSpec_LastRecordCursorWithoutCursorField_IsRefused()
    {
        Assert.Equal(
            "$.source.pagination.cursorField: required with \"cursorFrom\": \"lastRecord\" (the field of the last record that holds the cursor, e.g. id)",
            Problems("""{ "type": "http", "baseUrl": "http://h", "pagination": { "type": "cursor", "cursorFrom": "lastRecord" } }"""));
    }

    [Fact]
    public void PaginationSpec_PageTotalWithoutSize_IsRefused()
    {
        Assert.Equal("$.source.pagination.totalPath: needs the page size: set sizeParam and size",
            Problems("""{ "type": "http", "baseUrl": "http://h", "pagination": { "type": "page", "totalPath": "total" } }"""));
    }

    [Fact]
    public void PaginationSpec_TotalPagesPathOnCursor_IsRefused()
    {
        Assert.Equal("$.source.pagination.totalPagesPath: does not apply to pagination type cursor (it applies to page)",
            Problems("""{ "type": "http", "baseUrl": "http://h", "pagination": { "type": "cursor", "cursorPath": "next", "totalPagesPath": "pages" } }"""));
    }
}
