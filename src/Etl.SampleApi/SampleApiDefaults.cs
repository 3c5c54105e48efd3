// Named defaults of the sample API, in one place so docs and tests can pin them.
namespace Etl.SampleApi;

/// <summary>Defaults and limits of the sample API.</summary>
public static class SampleApiDefaults
{
    /// <summary>Where the command line serves when no <c>--urls</c> is given.</summary>
    public const string CliUrl = "http://127.0.0.1:5080";

    /// <summary>Where <see cref="SampleApiServer.StartAsync"/> listens by default: loopback, a free port.</summary>
    public const string InProcessUrl = "http://127.0.0.1:0";

    /// <summary>Value of <c>Retry-After</c> sent with 429 and 503.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>Delay of the <see cref="FaultKind.SlowResponse"/> fault.</summary>
    public const int SlowResponseMs = 5000;

    /// <summary>Status of the <see cref="FaultKind.Redirect"/> fault.</summary>
    public const int RedirectStatus = 302;

    /// <summary>Media type of the JSON answers.</summary>
    public const string MediaType = "application/json";

    /// <summary>Seed of the generated data and of the fault dice.</summary>
    public const int Seed = 42;

    /// <summary>Size of the <c>/orders</c> collection.</summary>
    public const int OrderCount = 1000;

    /// <summary>Largest <c>/orders</c> collection the server accepts to generate.</summary>
    public const int MaxOrderCount = 10_000_000;

    /// <summary>Page size when neither <c>page_size</c>, <c>limit</c> nor <c>size</c> is given.</summary>
    public const int PageSize = 100;

    /// <summary>Largest page size a request may ask for.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>How long disposing the server lets in-flight requests finish before it aborts them.</summary>
    public const int ShutdownGraceMs = 1000;
}
