// Reads records from HTTP JSON APIs: every combination of "values" is a request, fetched concurrently, resiliently, page by page.
using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Threading.Tasks.Dataflow;
using Etl.Runtime;
using Etl.Sources.Http.Pagination;
using Etl.Spec;

namespace Etl.Sources.Http;

public enum HttpSourceMethod { Get, Post }

/// <summary>Who waits when a server asks to (429/503 with Retry-After, or an exhausted rate limit).</summary>
public enum RetryAfterScope { Host, Request }

public sealed record HttpSourceSpec : SourceSpec, IValidatableSpec, IFedSource
{
    public const int DefaultConcurrency = 8;
    public const int MaxConcurrency = 10_000;
    public const double DefaultTimeoutSeconds = 30;
    public const double MinTimeoutSeconds = 0.01;

    [Description("Scheme, host and optional base path of the API, e.g. https://api.example.com/v1.")]
    public required string BaseUrl { get; init; }

    [Description("Path after baseUrl; {name} placeholders take every combination of \"values\", e.g. /orders/{id}.")]
    public string? Path { get; init; }

    [Description("get (default) or post (with a JSON \"body\").")]
    public HttpSourceMethod Method { get; init; } = HttpSourceMethod.Get;

    [Description("The values of each {name} placeholder: a list [1, 2, 3], a range { \"from\": 1, \"to\": 1000 }, or a file column { \"file\": \"data/lake/ids/\", \"column\": \"id\" }. One request per combination; records carry them as $request.name.")]
    public Dictionary<string, ValueSetSpec>? Values { get; init; }

    [Description("Query parameters added to every request; values may hold {name} placeholders and ${env:NAME} secrets.")]
    public Dictionary<string, string>? Query { get; init; }

    [Description("Headers sent with every request, e.g. { \"Authorization\": \"Bearer ${env:API_TOKEN}\" }; values may hold {name} placeholders.")]
    public Dictionary<string, string>? Headers { get; init; }

    [Description("post: the JSON body; strings may hold {name} placeholders (\"{id}\" alone keeps the value's type).")]
    public JsonObject? Body { get; init; }

    [Description("Dotted path to the array of records (or a single object) in each response, e.g. data.items. Default: the whole body.")]
    public string? RecordPath { get; init; }

    [Description("How to walk the pages of each request. Default: one page.")]
    public PaginationSpec? Pagination { get; init; }

    [Description("Most requests in flight at once (the fetch stage's MaxDegreeOfParallelism and the connection pool size). Default 8.")]
    public int Concurrency { get; init; } = DefaultConcurrency;

    [Description("Most requests started per second, across the whole source (a token bucket). Default: no limit.")]
    public double? RequestsPerSecond { get; init; }

    [Description("Seconds one attempt may take, the whole body included, before it is abandoned and retried. Default 30.")]
    public double TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    [Description("Retries of failed attempts: maxAttempts, baseDelayMs, maxDelayMs, retryOn.")]
    public HttpRetrySpec? Retry { get; init; }

    [Description("host (default): a 429/503 with Retry-After, or RateLimit-Remaining: 0 with a reset, holds back every request to that host until it passes; request: only the request that got it waits.")]
    public RetryAfterScope RetryAfterScope { get; init; } = RetryAfterScope.Host;

    [Description("Find the concurrency the API tolerates: requests in flight shrink on 429/503/timeouts and grow while responses are healthy, never above concurrency. Default false.")]
    public bool AdaptiveConcurrency { get; init; }

    [Description("Authentication added to every request: { \"type\": \"bearer\", \"token\": \"${env:API_TOKEN}\" }, basic (username, password) or apiKey (name, value, in).")]
    public HttpAuthSpec? Auth { get; init; }

    public IEnumerable<(PlannedBlock Block, string Feeds)> Feeders() => RequestTree.Blocks(this);

    public IEnumerable<(string Path, string Message)> Validate(string path)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var baseUri) || (baseUri.Scheme != Uri.UriSchemeHttp && baseUri.Scheme != Uri.UriSchemeHttps))
        {
            yield return ($"{path}.baseUrl", $"expected an absolute http or https URL; got \"{BaseUrl}\"");
        }
        var names = ValueSetSpec.NamesOf(Values);
        foreach (var name in Placeholders.NamesIn(Path).Distinct().Where(n => !names.Contains(n)))
        {
            yield return ($"{path}.path", HttpSpecErrors.UnknownPlaceholder(name, names));
        }
        foreach (var problem in ValidateValues(Values, $"{path}.values"))
        {
            yield return problem;
        }
        if (Body is not null && Method != HttpSourceMethod.Post)
        {
            yield return ($"{path}.body", "a body needs \"method\": \"post\"");
        }
        if (Concurrency is < 1 or > MaxConcurrency)
        {
            yield return ($"{path}.concurrency", $"expected a number from 1 to {MaxConcurrency}; got {Concurrency}");
        }
        if (RequestsPerSecond is <= 0)
        {
            yield return ($"{path}.requestsPerSecond", $"expected a number > 0; got {RequestsPerSecond}");
        }
        if (TimeoutSeconds < MinTimeoutSeconds || TimeoutSeconds > TimeSpan.FromDays(1).TotalSeconds)
        {
            yield return ($"{path}.timeoutSeconds", $"expected a number from {MinTimeoutSeconds} to 86400; got {TimeoutSeconds}");
        }
        foreach (var problem in SpecChecks.CheckPath(RecordPath, $"{path}.recordPath"))
        {
            yield return problem;
        }
        foreach (var problem in Retry?.Validate($"{path}.retry") ?? [])
        {
            yield return problem;
        }
        foreach (var problem in Pagination?.Validate($"{path}.pagination", Method == HttpSourceMethod.Post) ?? [])
        {
            yield return problem;
        }
        foreach (var problem in Auth?.Validate($"{path}.auth") ?? [])
        {
            yield return problem;
        }
    }

    /// <summary>Checks a "values" object: names, each set, and the rules of sets fed by parent requests.</summary>
    internal static IEnumerable<(string Path, string Message)> ValidateValues(Dictionary<string, ValueSetSpec>? values, string path)
    {
        var position = 0;
        foreach (var (name, set) in values ?? [])
        {
            if (!Placeholders.IsName(name))
            {
                yield return ($"{path}.{name}", "a placeholder name takes letters, digits and _ and starts with a letter or _");
            }
            // Streamed once and never kept: only the first set is enumerated once; the others repeat for each of its values.
            if (set.Request is not null && position > 0)
            {
                yield return ($"{path}.{name}.request", "a value set fed by a request must be the first entry of \"values\" (it is streamed once, never kept)");
            }
            foreach (var problem in set.Validate($"{path}.{name}"))
            {
                yield return problem;
            }
            position++;
        }
        foreach (var duplicate in ValueSetSpec.NamesOf(values).GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return (path, $"placeholder {{{duplicate.Key}}} is defined twice (a parent request's \"values\" are placeholders of its children too)");
        }
    }
}

public sealed class HttpSource : ISource
{
    private readonly HttpSourceSpec _spec;
    private readonly RunContext _run;
    private long _queued;
    private RequestPlan? _plan;

    public HttpSource(HttpSourceSpec spec, RunContext run)
    {
        _spec = spec;
        _run = run;
        foreach (var secret in spec.Auth?.SecretValues() ?? [])
        {
            run.Secrets.Add(secret);
        }
    }

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<HttpSourceSpec>(
        "http", "Reads JSON from HTTP APIs: many endpoints at once, paginated, retried, rate limited.", (s, r) => new HttpSource(s, r),
        HttpRehearsal.RunAsync, [typeof(ValueSetSpecConverter.ValueSetObject)]);

    public bool WaitsOnNetwork => true;

    /// <summary>Requests of the plan handed to the fetch stage so far (the plan is read no further ahead than its bounded input).</summary>
    internal long Queued => Interlocked.Read(ref _queued);

    /// <summary>Most values read from parent requests' pages and not yet taken by the plan: the read-ahead of parents.</summary>
    internal long MaxParentValuesBuffered => _plan?.MaxParentValuesBuffered ?? 0;

    /// <summary>The requests the progress bar counts: a shard's share is known only by hashing each request, so it
    /// counts the share it expects.</summary>
    private long? ExpectedRequests(RequestPlan plan) =>
        plan.Count is { } count && plan.Sharded && _run.Shard is { } shard ? (count + shard.Count - 1) / shard.Count : plan.Count;

    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        using var fetcher = new HttpFetcher(_spec, _run);
        using var shared = new SharedFetch(_spec, fetcher, output);
        var plan = _plan = new RequestPlan(_spec, _run, shared);
        _run.Progress.Unit = "requests";
        _run.Progress.Total = ExpectedRequests(plan);
        var reader = EndpointReader.ForSource(shared, _run, plan);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The emit stage: the one task that sends into the mesh (a source output takes one caller at a time).
        var emit = new ActionBlock<PageRecords>(page => EndpointReader.SendAsync(page, output, stop.Token), new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = 1,
            BoundedCapacity = _spec.Concurrency,
            CancellationToken = stop.Token,
        });
        async Task Emit(PageRecords page)
        {
            if (!await emit.SendAsync(page, stop.Token))
            {
                await emit.Completion; // faulted: surfaces why
                throw new OperationCanceledException("the mesh stopped accepting records");
            }
        }

        // The fetch stage: at most `concurrency` requests at work, and only a few more waiting, however long the plan.
        var fetch = new ActionBlock<RequestValues>(async values =>
        {
            await reader.ReadAsync(values, Emit, stop.Token);
            if (_run.Progress.Unit == "requests")
            {
                _run.Progress.Advance(1);
            }
        }, new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = _spec.Concurrency,
            BoundedCapacity = _spec.Concurrency * 2,
            EnsureOrdered = false,
            SingleProducerConstrained = true,
            CancellationToken = stop.Token,
        });
        try
        {
            await foreach (var values in plan.EnumerateAsync(stop.Token))
            {
                if (!await fetch.SendAsync(values, stop.Token))
                {
                    break; // the stage faulted: its Completion says why
                }
                Interlocked.Increment(ref _queued);
            }
            fetch.Complete();
            await fetch.Completion;
            emit.Complete();
            await emit.Completion;
        }
        catch (Exception e)
        {
            // Stop everything still at work, then report the first real cause (not the cancellations it caused).
            await stop.CancelAsync();
            fetch.Complete();
            emit.Complete();
            var stages = Task.WhenAll(fetch.Completion, emit.Completion);
            try
            {
                await stages;
            }
            catch (Exception)
            {
                // Inspected below.
            }
            var cause = stages.Exception?.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException);
            if (e is OperationCanceledException && cause is not null && !cancellationToken.IsCancellationRequested)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            }
            throw;
        }
    }
}
