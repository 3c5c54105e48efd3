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
    private readonly RecordPath? _recordPath = spec.RecordPath is null ? null : RecordPath.Parse(spec.RecordPath);

    /// <summary>Fetches every page of one request, passing each page's records to <paramref name="emit"/> in page order.
    /// Failed requests go straight to <paramref name="output"/>'s dead letters (RejectRequest is thread-safe).</summary>
    public async Task ReadAsync(RequestValues values, Func<PageRecords, Task> emit, ISourceOutput output, CancellationToken cancellationToken)
    {
        var paginator = Paginator.Create(spec.Pagination);
        var request = paginator.First(plan.Build(values));
        var placeholders = values.Text;
        var pages = 0;
        long records = 0;
        while (request is not null)
        {
            using var result = await fetcher.FetchAsync(request, cancellationToken);
            var url = run.Secrets.Redact(request.Url.ToString());
            if (!result.Succeeded)
            {
                Fail(output, request, url, result, result.Response is { } r ? await ReadBodyAsync(r, cancellationToken) : null, null);
                return;
            }
            var body = await ReadBodyAsync(result.Response!, cancellationToken);
            var page = ResponseBody.Parse(body, _recordPath, out var error, out var invalidJson);
            if (page is null)
            {
                var reason = invalidJson
                    ? HttpSpecErrors.InvalidJson(request.Method, url, error!)
                    : HttpSpecErrors.NoRecords(request.Method, url, spec.RecordPath);
                Fail(output, request, url, result, body, reason);
                return;
            }
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
            request = paginator.Next(request, new PageResponse(page.Root, page.Items.Count, result.Response!.Headers, request.Url));
            records += page.Items.Count;
            ReportRecordProgress(paginator, records);
        }
    }

    /// <summary>A single request whose server tells its total (totalPath) has its progress, and time left, in records.</summary>
    private void ReportRecordProgress(Paginator paginator, long records)
    {
        if (paginator.TotalRecords is { } total && plan.Count == 1)
        {
            run.Progress.Unit = "records";
            run.Progress.Total = total;
            run.Progress.SetDone(Math.Min(records, total));
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

    private static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken ct) =>
        // Already buffered by the attempt (ResponseContentRead): this copies no socket data.
        await response.Content.ReadAsByteArrayAsync(ct);

    private void Fail(ISourceOutput output, HttpRequestDescription request, string url, FetchResult result, byte[]? body, string? reason)
    {
        var status = result.Response is { } r ? (int)r.StatusCode : (int?)null;
        reason ??= HttpSpecErrors.Failed(request.Method, url, result.Attempts,
            result.Response is { } response
                ? HttpSpecErrors.Status(response.StatusCode, response.ReasonPhrase)
                : HttpSpecErrors.Exception(result.Error!, fetcher.Resilience.AttemptTimeout));
        reason = run.Secrets.Redact(reason);
        run.Logger.LogWarning("{Reason}", reason);
        output.RejectRequest(new DeadLetter
        {
            Stage = "http",
            Url = url,
            Status = status,
            Reason = reason,
            Attempts = result.Attempts,
            ElapsedMs = result.Elapsed.TotalMilliseconds,
            Body = body is null ? null : run.Secrets.Redact(ResponseBody.Excerpt(body)),
        });
    }
}
