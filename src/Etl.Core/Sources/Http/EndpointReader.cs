// Reads one request of the plan: walks its pages, hands their records on, dead-letters what fails.
using Etl.Records;
using Etl.Runtime;
using Etl.Sources.Http.Pagination;
using Microsoft.Extensions.Logging;

namespace Etl.Sources.Http;

/// <summary>The records of one page (or, for a large page, a run of them starting at item <paramref name="FirstIndex"/>), on
/// their way to the mesh; <paramref name="Origin"/> is the redacted URL.</summary>
internal sealed record PageRecords(string Origin, IReadOnlyDictionary<string, string> Request, IReadOnlyList<object?> Items,
    IReadOnlyDictionary<string, object?>? Parent = null, int FirstIndex = 0);

/// <summary>Reads the requests of one level: the source's own (children), or a parent request feeding a value set.</summary>
internal sealed class EndpointReader(SharedFetch shared, RunContext run, RequestPlan plan, PaginationSpec? pagination, string? recordPath, bool parent)
{
    private readonly RecordPath? _recordPath = recordPath is null ? null : RecordPath.Parse(recordPath);

    /// <summary>A reader of the source's own requests.</summary>
    public static EndpointReader ForSource(SharedFetch shared, RunContext run, RequestPlan plan) =>
        new(shared, run, plan, shared.Source.Pagination, shared.Source.RecordPath, parent: false);

    /// <summary>Fetches every page of one request, passing each page's records to <paramref name="emit"/> in page order.
    /// Failed requests go straight to the shared output's dead letters (RejectRequest is thread-safe).</summary>
    public async Task ReadAsync(RequestValues values, Func<PageRecords, Task> emit, CancellationToken cancellationToken)
    {
        var paginator = Paginator.Create(pagination);
        var request = paginator.First(plan.Build(values));
        var placeholders = values.Text;
        var pages = 0;
        long records = 0;
        while (request is not null)
        {
            using var result = await shared.FetchAsync(request, _recordPath, cancellationToken);
            if (parent)
            {
                run.Counters.CountParentRequests(result.Attempts);
            }
            var url = run.Secrets.Redact(request.Url.ToString());
            if (!result.Succeeded)
            {
                Fail(request, url, result);
                return;
            }
            var page = result.Last!.Page!;
            run.Counters.CountPage();
            pages++;
            var (count, last) = page.Spilled is { } spilled
                ? await EmitSpilledAsync(spilled, new PageRecords(url, placeholders, [], values.Carried), emit, cancellationToken)
                : (page.Items.Count, page.Items.Count > 0 ? page.Items[^1] : null);
            if (page.Spilled is null && count > 0)
            {
                await emit(new PageRecords(url, placeholders, page.Items, values.Carried));
            }
            if (count == 0 || pages >= (pagination?.MaxPages ?? int.MaxValue))
            {
                return;
            }
            request = paginator.Next(request, new PageResponse(page.Root, count, result.Last.Response.Headers, result.Url, page.Spilled is null ? page.Items : [last]));
            if (request is null && paginator.Unfinished is { } why)
            {
                RejectUnfinished(url, why);
            }
            records += count;
            ReportRecordProgress(paginator, records);
        }
    }

    /// <summary>Hands on the records of a large page as they are read back from disk, a buffer's worth at a time;
    /// returns how many there were and the last one (a cursor may come from it).</summary>
    private static async Task<(int Count, object? Last)> EmitSpilledAsync(SpilledRecords spilled, PageRecords page, Func<PageRecords, Task> emit,
        CancellationToken cancellationToken)
    {
        var count = 0;
        object? last = null;
        await foreach (var items in spilled.ReadAsync(cancellationToken))
        {
            await emit(page with { Items = items, FirstIndex = count });
            count += items.Count;
            last = items[^1];
        }
        return (count, last);
    }

    /// <summary>A single request whose server tells its total (totalPath) has its progress, and time left, in records.</summary>
    private void ReportRecordProgress(Paginator paginator, long records)
    {
        if (!parent && paginator.TotalRecords is { } total && plan.Count == 1)
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
                record.Parent = page.Parent;
                await output.SendAsync(record, cancellationToken);
            }
            else if (page.Items[i] is UnreadableRecord unreadable)
            {
                output.Reject($"{page.Origin} [{page.FirstIndex + i}]", unreadable.Reason, unreadable.Raw);
            }
            else
            {
                output.Reject($"{page.Origin} [{page.FirstIndex + i}]", $"expected a JSON object; got {ValueConverter.Describe(page.Items[i])}", RecordJson.Serialize(page.Items[i]));
            }
        }
    }

    /// <summary>Paging that stopped without the server saying so: the pages not requested are one request dead letter,
    /// so the run does not pass for complete.</summary>
    private void RejectUnfinished(string url, string why)
    {
        var reason = run.Secrets.Redact($"paging after {url} stopped: {why}");
        run.Logger.LogWarning("{Reason}", reason);
        shared.Output.RejectRequest(new DeadLetter { Stage = "http", Url = url, Reason = reason });
    }

    private void Fail(HttpRequestDescription request, string url, FetchResult result)
    {
        var last = result.Last;
        var what = result.Refusal ?? last switch
        {
            { Error: { } bodyError } => bodyError,
            { Response: var response } => HttpSpecErrors.Status(response.StatusCode, response.ReasonPhrase),
            null => HttpSpecErrors.Exception(result.Error!, shared.Fetcher.Resilience.AttemptTimeout),
        };
        var reason = HttpSpecErrors.Failed(request.Method, url, result.Attempts, what);
        if (parent)
        {
            run.Counters.CountFailedParentRequest();
            reason = HttpSpecErrors.ParentFailed(reason);
        }
        reason = run.Secrets.Redact(reason);
        run.Logger.LogWarning("{Reason}", reason);
        shared.Output.RejectRequest(new DeadLetter
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
