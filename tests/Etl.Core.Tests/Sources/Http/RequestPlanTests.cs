// Tests of the request plan: combinations of values, laziness, and how placeholders fill path, query, headers and body.
using System.Text.Json.Nodes;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.Sources.Http;
using Etl.Spec;

namespace Etl.Core.Tests.Sources.Http;

public sealed class RequestPlanTests
{
    private static (RequestPlan Plan, RunContext Run) Plan(string source)
    {
        var run = HttpTestRuns.Context(source);
        return (new RequestPlan((HttpSourceSpec)run.Spec.Spec.Source, run), run);
    }

    private static async Task<List<RequestValues>> AllAsync(RequestPlan plan)
    {
        var list = new List<RequestValues>();
        await foreach (var v in plan.EnumerateAsync(CancellationToken.None))
        {
            list.Add(v);
        }
        return list;
    }

    [Fact]
    public async Task RequestPlan_RangeTimesList_YieldsEveryCombinationLastVaryingFastest()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h", "path": "/{a}/{b}", "values": { "a": { "from": 1, "to": 2 }, "b": ["x", "y", "z"] } }""");

        var urls = (await AllAsync(plan)).Select(v => plan.Build(v).Url.AbsolutePath).ToList();

        Assert.Equal(["/1/x", "/1/y", "/1/z", "/2/x", "/2/y", "/2/z"], urls);
        Assert.Equal(6, plan.Count);
    }

    [Fact]
    public async Task RequestPlan_ListedIdBeyondInt64_ReachesTheUrlExactly()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h", "path": "/accounts/{id}", "values": { "id": [12345678901234567890, 7] } }""");

        var urls = (await AllAsync(plan)).Select(v => plan.Build(v).Url.AbsolutePath).ToList();

        Assert.Equal(["/accounts/12345678901234567890", "/accounts/7"], urls);
    }

    [Fact]
    public async Task RequestPlan_RangeWithNegativeStep_CountsDown()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h", "path": "/{n}", "values": { "n": { "from": 10, "to": 4, "step": -3 } } }""");

        var values = (await AllAsync(plan)).Select(v => v.Text["n"]).ToList();

        Assert.Equal(["10", "7", "4"], values);
    }

    [Fact]
    public async Task RequestPlan_NoValues_YieldsOneRequest()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h/api/", "path": "orders" }""");

        var all = await AllAsync(plan);

        Assert.Single(all);
        Assert.Equal("http://h/api/orders", plan.Build(all[0]).Url.ToString());
        Assert.Empty(all[0].Text);
    }

    [Fact]
    public async Task RequestPlan_TrillionCombinations_IsEnumeratedLazily()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h", "path": "/{a}/{b}", "values": { "a": { "from": 1, "to": 1000000 }, "b": { "from": 1, "to": 1000000 } } }""");

        var first = new List<string>();
        await foreach (var v in plan.EnumerateAsync(CancellationToken.None))
        {
            first.Add(plan.Build(v).Url.AbsolutePath);
            if (first.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(1_000_000_000_000, plan.Count);
        Assert.Equal(["/1/1", "/1/2", "/1/3"], first);
    }

    [Fact]
    public async Task RequestPlan_Build_EscapesPathValuesAndFillsQueryAndHeaders()
    {
        var (plan, _) = Plan("""
            { "type": "http", "baseUrl": "http://h", "path": "/items/{sku}", "values": { "sku": ["a/b c"] },
              "query": { "q": "sku {sku}", "fixed": "1" }, "headers": { "X-Sku": "{sku}" } }
            """);

        var request = plan.Build((await AllAsync(plan))[0]);

        Assert.Equal("/items/a%2Fb%20c", request.Url.AbsolutePath);
        Assert.Equal("?q=sku%20a%2Fb%20c&fixed=1", request.Url.Query);
        Assert.Equal("a/b c", request.Headers.Single(h => h.Key == "X-Sku").Value);
    }

    [Fact]
    public async Task RequestPlan_BodyPlaceholderAlone_KeepsTheValueType()
    {
        var (plan, _) = Plan("""
            { "type": "http", "baseUrl": "http://h", "method": "post", "path": "/search", "values": { "id": [7] },
              "body": { "customer": "{id}", "query": "customer:{id}", "nested": { "ids": ["{id}"] } } }
            """);

        var body = plan.Build((await AllAsync(plan))[0]).Body!;

        Assert.Equal("""{"customer":7,"query":"customer:7","nested":{"ids":[7]}}""", body.ToJsonString());
    }

    [Fact]
    public async Task RequestPlan_BearerAuth_AddsAuthorizationHeader()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h", "auth": { "type": "bearer", "token": "t0ken" } }""");

        var request = plan.Build((await AllAsync(plan))[0]);

        Assert.Equal("Bearer t0ken", request.Headers.Single(h => h.Key == "Authorization").Value);
    }

    [Fact]
    public async Task RequestPlan_LinkToAnotherOrigin_DropsCredentialHeadersAndKeepsTheOthers()
    {
        var (plan, _) = Plan("""
            { "type": "http", "baseUrl": "http://h", "headers": { "X-Trace": "t1", "Cookie": "s=1" },
              "auth": { "type": "apiKey", "name": "X-Api-Key", "value": "k3y" } }
            """);
        var first = plan.Build((await AllAsync(plan))[0]);

        var sameOrigin = first.WithUrl(new Uri("http://h/page/2"));
        var elsewhere = first.WithUrl(new Uri("https://h/page/2"));

        Assert.Equal(["X-Trace", "Cookie", "X-Api-Key"], sameOrigin.Headers.Select(h => h.Key));
        Assert.Equal(["X-Trace"], elsewhere.Headers.Select(h => h.Key));
        Assert.False(elsewhere.CarriesCredentials);
        Assert.False(elsewhere.WithUrl(new Uri("http://h/page/3")).CarriesCredentials);
    }

    [Fact]
    public async Task RequestPlan_ApiKeyInQuery_AddsQueryParameter()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h", "auth": { "type": "apiKey", "name": "key", "value": "k3y", "in": "query" } }""");

        var request = plan.Build((await AllAsync(plan))[0]);

        Assert.Equal("?key=k3y", request.Url.Query);
    }

    [Fact]
    public async Task RequestPlan_CsvFileColumn_TakesEveryNonEmptyValue()
    {
        using var temp = new TestFolder();
        var csv = Path.Combine(temp.Root, "ids.csv");
        await File.WriteAllTextAsync(csv, "id,name\n3,a\n,b\n5,c\n");
        var (plan, _) = Plan($$"""{ "type": "http", "baseUrl": "http://h", "path": "/o/{id}", "values": { "id": { "file": "{{csv}}", "column": "id" } } }""");

        var ids = (await AllAsync(plan)).Select(v => v.Text["id"]).ToList();

        Assert.Equal(["3", "5"], ids);
        Assert.Null(plan.Count);
    }

    [Fact]
    public async Task RequestPlan_ParquetFolderColumn_ReadsThroughTheParquetSource()
    {
        using var temp = new TestFolder();
        await HttpTestRuns.WriteIdsParquetAsync(Path.Combine(temp.Root, "ids", "part-0.parquet"), [11, 12, 13]);
        var (plan, _) = Plan($$"""{ "type": "http", "baseUrl": "http://h", "path": "/o/{id}", "values": { "id": { "file": "{{Path.Combine(temp.Root, "ids")}}", "column": "id" } } }""");

        var ids = (await AllAsync(plan)).Select(v => v.Text["id"]).ToList();

        Assert.Equal(["11", "12", "13"], ids);
    }

    [Fact]
    public async Task RequestPlan_FileColumnVaryingFastest_IsReadOnceAndRepeated()
    {
        using var temp = new TestFolder();
        var csv = Path.Combine(temp.Root, "ids.csv");
        await File.WriteAllTextAsync(csv, "id\n1\n2\n");
        var (plan, _) = Plan($$"""{ "type": "http", "baseUrl": "http://h", "path": "/{r}/{id}", "values": { "r": ["a", "b"], "id": { "file": "{{csv}}", "column": "id" } } }""");

        var urls = (await AllAsync(plan)).Select(v => plan.Build(v).Url.AbsolutePath).ToList();

        Assert.Equal(["/a/1", "/a/2", "/b/1", "/b/2"], urls);
    }

    [Fact]
    public async Task RequestPlan_FileColumnMissing_ThrowsNamingTheColumn()
    {
        using var temp = new TestFolder();
        var csv = Path.Combine(temp.Root, "ids.csv");
        await File.WriteAllTextAsync(csv, "id\n1\n");
        var (plan, _) = Plan($$"""{ "type": "http", "baseUrl": "http://h", "path": "/{x}", "values": { "x": { "file": "{{csv}}", "column": "order_id" } } }""");

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => AllAsync(plan));

        Assert.Equal($"{csv}:2: no column 'order_id' (columns are id)", e.Message);
    }

    [Fact]
    public void RequestPlan_BodyWithJsonNumbers_IsKeptAsWritten()
    {
        var (plan, _) = Plan("""{ "type": "http", "baseUrl": "http://h", "method": "post", "body": { "size": 50, "flag": true } }""");

        var request = plan.Build(new RequestValues([], []));

        Assert.Equal("""{"size":50,"flag":true}""", request.Body!.ToJsonString());
        Assert.IsType<JsonObject>(request.Body);
    }
}
