// Reads one request of the plan: walks its pages, hands their records on, dead-letters what fails.
using Etl.Records;
using Etl.Runtime;
using Etl.Sources.Http.Pagination;
using Microsoft.Extensions.Logging;

namespace Etl.Sources.Http;

/// <summary>The records of one page, on their way to the mesh; <paramref name="Origin"/> is the redacted URL.</summary>
internal sealed record PageRecords(string Origin, IReadOnlyDictionary<string, string> Request, IReadOnlyList<object?> Items);

internal sealed class EndpointReader(HttpSourceSpec spec, RunContext run, RequestPlan plan, HttpFetcher fetcher)
{
    /// <summary>Fetches every page of one request, passing each page's records to <paramref name="emit"/> in page order.
    /// Failed requests go straight to <paramref name="output"/>'s dead letters (RejectRequest is thread-safe).</summary>
    public async Task ReadAsync(RequestValues values, Func<PageRecords, Task> emit, ISourceOutput output, CancellationToken cancellationToken)
    {
        var paginator = Paginator.Create(spec.Pagination);
        var request = paginator.First(plan.Build(values));
        var placeholders = values.Text;
        var pages = 0;
        while (request is not null)
        {
            using var result = await fetcher.FetchAsync(request, cancellationToken);
            var url = run.Secrets.Redact(request.Url.ToString());
            if (!result.Succeeded)
            {
                Fail(output, request, url, result);
                return;
            }
            var page = result.Last!.Page!;
            run.Counters.CountPage();
            pages++;
            if (page.Items.Count > 0)
            {
                await emit(new PageRecords(url, placeholders, page.Items));
            }
            if (page.Items.Count == 0 || pages >= (spec.Pagination?.MaxPages ?? int.MaxValue))
            {
                return;
            }
            request = paginator.Next(request, new PageResponse(page.Root, page.Items.Count, result.Last.Response.Headers, request.Url));
        }
    }

    /// <summary>Sends one page's records into the mesh; called by one task at a time, as <see cref="ISourceOutput"/> asks.</summary>
    public static async Task SendAsync(PageRecords page, ISourceOutput output, CancellationToken cancellationToken)
    {
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (page.Items[i] is Record record)
            {
                record.Origin = page.Origin;
                record.Request = page.Request;
                await output.SendAsync(record, cancellationToken);
            }
            else
            {
                output.Reject($"{page.Origin} [{i}]", $"expected a JSON object; got {ValueConverter.Describe(page.Items[i])}", RecordJson.Serialize(page.Items[i]));
            }
        }
    }

    private void Fail(ISourceOutput output, HttpRequestDescription request, string url, FetchResult result)
    {
        var last = result.Last;
        var what = last switch
        {
            { Error: { } bodyError } => bodyError,
            { Response: var response } => HttpSpecErrors.Status(response.StatusCode, response.ReasonPhrase),
            null => HttpSpecErrors.Exception(result.Error!, fetcher.Resilience.AttemptTimeout),
        };
        var reason = run.Secrets.Redact(HttpSpecErrors.Failed(request.Method, url, result.Attempts, what));
        run.Logger.LogWarning("{Reason}", reason);
        output.RejectRequest(new DeadLetter
        {
            Stage = "http",
            Url = url,
            Status = last is null ? null : (int)last.Response.StatusCode,
            Reason = reason,
            Attempts = result.Attempts,
            ElapsedMs = result.Elapsed.TotalMilliseconds,
            // The last attempt's body: the one that made the request fail for good.
            Body = last is null ? null : run.Secrets.Redact(ResponseBody.Excerpt(last.Body)),
        });
    }
}
