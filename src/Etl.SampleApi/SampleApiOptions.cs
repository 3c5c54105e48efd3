// Configuration of the sample API: the data it serves and the faults it injects.
using System.Globalization;

namespace Etl.SampleApi;

/// <summary>What the sample API serves and how it misbehaves. Checked as a whole by <see cref="SampleApiServer.StartAsync"/>.</summary>
public sealed record SampleApiOptions
{
    /// <summary>Delay added to every response (except the immediate 429 of <see cref="MaxInFlightBefore429"/>), in ms.</summary>
    public int LatencyMs { get; init; }

    /// <summary>Probability in [0, 1] that a request gets a fault, one of <see cref="Faults"/> chosen at random; 0 = none.</summary>
    public double TransientFailureRate { get; init; }

    /// <summary>The faults drawn from when a request is unlucky.</summary>
    public IReadOnlyList<FaultKind> Faults { get; init; } = [FaultKind.Status500, FaultKind.Status503, FaultKind.TooManyRequests];

    /// <summary>Faults given, in this order, to the first requests (before any dice are rolled), so a test can say
    /// "the first answer is cut mid-body, the next one is whole".</summary>
    public IReadOnlyList<FaultKind> FirstFaults { get; init; } = [];

    /// <summary>Value of <c>Retry-After</c> sent with 429 and 503; 0 is allowed.</summary>
    public int RetryAfterSeconds { get; init; } = SampleApiDefaults.RetryAfterSeconds;

    /// <summary>Whether <c>Retry-After</c> is sent as an HTTP-date (now plus <see cref="RetryAfterSeconds"/>, by
    /// <see cref="TimeProvider"/>) rather than as seconds; RFC 9110 allows both.</summary>
    public bool RetryAfterAsDate { get; init; }

    /// <summary>Ids for which <c>/orders/{id}</c> and <c>/customers/{id}/orders</c> always answer 500.</summary>
    public IReadOnlySet<int> AlwaysFailingIds { get; init; } = new HashSet<int>();

    /// <summary>Page numbers of <c>/customers?page=N</c> that always answer 500 (a parent listing that fails for good).</summary>
    public IReadOnlySet<int> AlwaysFailingCustomerPages { get; init; } = new HashSet<int>();

    /// <summary>When set, a request arriving while more than this many are in flight gets 429 with <c>Retry-After</c> at once.</summary>
    public int? MaxInFlightBefore429 { get; init; }

    /// <summary>Delay of the <see cref="FaultKind.SlowResponse"/> fault, in ms.</summary>
    public int SlowResponseMs { get; init; } = SampleApiDefaults.SlowResponseMs;

    /// <summary>Seed of the generated data and of the fault dice.</summary>
    public int Seed { get; init; } = SampleApiDefaults.Seed;

    /// <summary>Size of the <c>/orders</c> collection: ids 1..OrderCount.</summary>
    public int OrderCount { get; init; } = SampleApiDefaults.OrderCount;

    /// <summary>When set, every request without <c>Authorization: Bearer &lt;token&gt;</c> gets 401.</summary>
    public string? RequiredBearerToken { get; init; }

    /// <summary>When set, next-page links (<c>/orders/links</c>, <c>/orders/linkheader</c>) name this host instead of the
    /// request's, keeping its port: "localhost" for a client that called 127.0.0.1 is a link to another origin.</summary>
    public string? NextLinkHost { get; init; }

    /// <summary>When true, next-page links (<c>/orders/links</c>, <c>/orders/linkheader</c>) are relative references to the
    /// request's path (<c>links?page=2&amp;…</c>), which a client resolves against the URL that answered (RFC 3986, 8288).</summary>
    public bool RelativeNextLinks { get; init; }

    /// <summary>Status of the <see cref="FaultKind.Redirect"/> fault: 300, 301, 302, 303, 307 or 308.</summary>
    public int RedirectStatus { get; init; } = SampleApiDefaults.RedirectStatus;

    /// <summary>When set, <see cref="FaultKind.Redirect"/> sends clients to this server (a base address such as another sample
    /// API's, whose requests then show which headers followed), with an absolute <c>Location</c>.</summary>
    public Uri? RedirectTo { get; init; }

    /// <summary>When set, <see cref="FaultKind.Redirect"/> sends clients to this path (the query is kept), e.g. "/orders".</summary>
    public string? RedirectPath { get; init; }

    /// <summary>Media type of the JSON answers (<c>application/problem+json</c>, <c>text/json</c>…); the body stays JSON.</summary>
    public string MediaType { get; init; } = SampleApiDefaults.MediaType;

    /// <summary>When set, JSON answers are encoded in this charset (<c>iso-8859-1</c>, <c>utf-16</c>…) and say so in their
    /// Content-Type; a character the charset lacks becomes '?'.</summary>
    public string? Charset { get; init; }

    /// <summary>Order ids whose customer name is sent as these bytes, put in the JSON as they are: a string with a lone
    /// surrogate escape (<c>"\uDFAA"</c>) or with a byte that is not UTF-8, which well-formed JSON text never holds.</summary>
    public IReadOnlyDictionary<int, byte[]> RawCustomerNames { get; init; } = new Dictionary<int, byte[]>();

    /// <summary>Customer ids whose name in the customer listings (<c>/customers</c>, <c>/graphql</c>) is sent as these bytes,
    /// as <see cref="RawCustomerNames"/> does for orders.</summary>
    public IReadOnlyDictionary<int, byte[]> RawListedCustomerNames { get; init; } = new Dictionary<int, byte[]>();

    /// <summary>When set, <c>POST /oauth/token</c> issues client-credentials tokens and every other request needs an unexpired one.</summary>
    public OAuth2Server? OAuth2 { get; init; }

    /// <summary>When set, a token bucket of this many requests per second (one second of burst) shared by all clients and not
    /// advertised: beyond it, 429 with <c>Retry-After</c> and no RateLimit headers.</summary>
    public int? UndeclaredRequestsPerSecond { get; init; }

    /// <summary>When set, a fixed-window rate limit shared by all clients, advertised with RateLimit-* headers.</summary>
    public RateLimitHeaders? RateLimit { get; init; }

    /// <summary>Whether <see cref="SampleApiServer.Requests"/> is kept; turn it off for benchmarks.</summary>
    public bool RecordRequests { get; init; } = true;

    /// <summary>Clock of the latency, slow-response and rate-limit window; a fake one makes them testable.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Every problem of these options, one line each; empty when they are valid.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Add(string property, string expected, object? found) => errors.Add(string.Create(
            CultureInfo.InvariantCulture, $"{nameof(SampleApiOptions)}.{property}: expected {expected}; found {found ?? "null"}"));

        if (LatencyMs < 0)
            Add(nameof(LatencyMs), "a delay >= 0 ms", LatencyMs);
        if (!(TransientFailureRate >= 0 && TransientFailureRate <= 1))
            Add(nameof(TransientFailureRate), "a probability between 0 and 1", TransientFailureRate);
        if (Faults is null)
            Add(nameof(Faults), "a list of faults", null);
        else if (TransientFailureRate > 0 && Faults.Count == 0)
            Add(nameof(Faults), "at least one fault when TransientFailureRate > 0", "an empty list");
        else if (Faults.Where(f => !Enum.IsDefined(f)).Select(f => (int)f).ToList() is [_, ..] undefined)
            Add(nameof(Faults), "only values of " + nameof(FaultKind), string.Join(", ", undefined));
        if (FirstFaults is null)
            Add(nameof(FirstFaults), "a list of faults", null);
        else if (FirstFaults.Where(f => !Enum.IsDefined(f)).Select(f => (int)f).ToList() is [_, ..] undefinedFirst)
            Add(nameof(FirstFaults), "only values of " + nameof(FaultKind), string.Join(", ", undefinedFirst));
        if (RetryAfterSeconds < 0)
            Add(nameof(RetryAfterSeconds), "seconds >= 0", RetryAfterSeconds);
        if (AlwaysFailingIds is null)
            Add(nameof(AlwaysFailingIds), "a set of ids", null);
        if (RawCustomerNames is null)
            Add(nameof(RawCustomerNames), "a map of order id to JSON bytes", null);
        if (RawListedCustomerNames is null)
            Add(nameof(RawListedCustomerNames), "a map of customer id to JSON bytes", null);
        if (AlwaysFailingCustomerPages is null)
            Add(nameof(AlwaysFailingCustomerPages), "a set of page numbers", null);
        if (MaxInFlightBefore429 < 0)
            Add(nameof(MaxInFlightBefore429), "a request count >= 0", MaxInFlightBefore429);
        if (UndeclaredRequestsPerSecond < 1)
            Add(nameof(UndeclaredRequestsPerSecond), "requests per second >= 1", UndeclaredRequestsPerSecond);
        if (SlowResponseMs < 0)
            Add(nameof(SlowResponseMs), "a delay >= 0 ms", SlowResponseMs);
        if (OrderCount is < 0 or > SampleApiDefaults.MaxOrderCount)
            Add(nameof(OrderCount), $"a count between 0 and {SampleApiDefaults.MaxOrderCount}", OrderCount);
        if (RequiredBearerToken is not null && (RequiredBearerToken.Length == 0 || RequiredBearerToken.Any(char.IsWhiteSpace)))
            Add(nameof(RequiredBearerToken), "null or a non-empty token without spaces", $"\"{RequiredBearerToken}\"");
        if (RedirectStatus is not (300 or 301 or 302 or 303 or 307 or 308))
            Add(nameof(RedirectStatus), "one of 300, 301, 302, 303, 307, 308", RedirectStatus);
        if (RedirectTo is not null && (!RedirectTo.IsAbsoluteUri || RedirectTo.Scheme is not ("http" or "https")))
            Add(nameof(RedirectTo), "an absolute http or https address", RedirectTo);
        if (RedirectPath is not null && !RedirectPath.StartsWith('/'))
            Add(nameof(RedirectPath), "a path starting with '/'", $"\"{RedirectPath}\"");
        if (string.IsNullOrWhiteSpace(MediaType) || !MediaType.Contains('/', StringComparison.Ordinal))
            Add(nameof(MediaType), "a media type such as application/json", MediaType);
        if (Charset is not null && !IsKnownCharset(Charset))
            Add(nameof(Charset), "null or a charset .NET knows (utf-8, utf-16, iso-8859-1…)", $"\"{Charset}\"");
        if (RateLimit is { Limit: < 0 })
            Add(nameof(RateLimit) + "." + nameof(RateLimit.Limit), "a request count >= 0", RateLimit.Limit);
        if (RateLimit is { WindowSeconds: < 1 })
            Add(nameof(RateLimit) + "." + nameof(RateLimit.WindowSeconds), "a window of at least 1 second", RateLimit.WindowSeconds);
        if (OAuth2 is { TokenLifetimeSeconds: <= 0 })
            Add(nameof(OAuth2) + "." + nameof(OAuth2.TokenLifetimeSeconds), "seconds > 0", OAuth2.TokenLifetimeSeconds);
        if (OAuth2 is { FailingTokenRequests: < 0 })
            Add(nameof(OAuth2) + "." + nameof(OAuth2.FailingTokenRequests), "a request count >= 0", OAuth2.FailingTokenRequests);
        if (TimeProvider is null)
            Add(nameof(TimeProvider), "a clock", null);
        return errors;
    }

    private static bool IsKnownCharset(string name)
    {
        try
        {
            System.Text.Encoding.GetEncoding(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
