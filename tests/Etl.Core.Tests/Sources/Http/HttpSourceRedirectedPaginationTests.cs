// End-to-end tests of next links on a page reached through a redirect: a relative link is resolved against the URL that
// answered (RFC 3986 5.1.3, RFC 8288 3.2), not the one first asked for.
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.SampleApi;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceRedirectedPaginationTests
{
    // The first request, to /v1/feed, is redirected to the endpoint; its pages link to "links?page=2&…" (or "linkheader?…").
    private static async Task<(HttpRun Run, List<RequestLog> Requests)> RunAsync(string endpoint, string pagination, TestFolder temp)
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions
        {
            FirstFaults = [FaultKind.Redirect],
            RedirectPath = endpoint,
            RelativeNextLinks = true,
            OrderCount = 250,
        });
        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/v1/feed", "query": { "page_size": "100" },
              "recordPath": "data", "pagination": {{pagination}}, "retry": { "maxAttempts": 1 } }
            """, temp.Root);
        return (run, server.Requests.OrderBy(r => r.ReceivedAt).ToList());
    }

    [Fact]
    public async Task HttpSource_RelativeNextLinkInTheBodyAfterARedirect_IsResolvedAgainstTheRedirectTarget()
    {
        using var temp = new TestFolder();

        var (run, requests) = await RunAsync("/orders/links", """{ "type": "nextLink", "path": "next" }""", temp);

        Assert.Empty(run.DeadLetterUrls);
        Assert.Equal((RunStatus.Succeeded, 250L), (run.Result.Status, run.Result.Written));
        Assert.Equal(["/orders/links?page=2&page_size=100", "/orders/links?page=3&page_size=100"], requests.Skip(2).Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task HttpSource_RelativeLinkHeaderAfterARedirect_IsResolvedAgainstTheRedirectTarget()
    {
        using var temp = new TestFolder();

        var (run, requests) = await RunAsync("/orders/linkheader", """{ "type": "linkHeader" }""", temp);

        Assert.Empty(run.DeadLetterUrls);
        Assert.Equal((RunStatus.Succeeded, 250L), (run.Result.Status, run.Result.Written));
        Assert.Equal(["/orders/linkheader?page=2&page_size=100", "/orders/linkheader?page=3&page_size=100"], requests.Skip(2).Select(r => r.PathAndQuery));
    }
}
