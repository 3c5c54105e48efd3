// Hosts the sample API on Kestrel in-process: start it on port 0 in a test or benchmark, read its counters, dispose it.
using Etl.SampleApi.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Etl.SampleApi;

/// <summary>
/// A running sample API. Every endpoint answers JSON generated deterministically from
/// <see cref="SampleApiOptions.Seed"/>; faults, latency, limits and auth follow the options.
/// </summary>
public sealed class SampleApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerCounters _counters;
    private int _disposed;

    private SampleApiServer(WebApplication app, ServerCounters counters, SampleApiOptions options, Uri baseAddress, int customerCount)
    {
        _app = app;
        _counters = counters;
        Options = options;
        BaseAddress = baseAddress;
        CustomerCount = customerCount;
    }

    /// <summary>The options the server runs with.</summary>
    public SampleApiOptions Options { get; }

    /// <summary>The bound address with its real port, ending in '/', e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Customers are 1..CustomerCount; each owns 0..3 orders.</summary>
    public int CustomerCount { get; }

    /// <summary>Highest number of requests served at the same time since start.</summary>
    public int MaxInFlight => _counters.MaxInFlight;

    /// <summary>Requests being served now.</summary>
    public int InFlight => _counters.InFlight;

    /// <summary>Requests received since start, whatever their outcome.</summary>
    public long TotalRequests => _counters.TotalRequests;

    /// <summary>Requests to the OAuth2 token endpoint since start, answered or not (0 without <see cref="SampleApiOptions.OAuth2"/>).</summary>
    public int TokenRequests => _counters.Tokens?.Requests ?? 0;

    /// <summary>OAuth2 tokens issued since start.</summary>
    public int TokensIssued => _counters.Tokens?.Issued ?? 0;

    /// <summary>OAuth2 tokens issued while the previous one was still honoured (renewed ahead of its expiry).</summary>
    public int TokensRenewedBeforeExpiry => _counters.Tokens?.RenewedBeforeExpiry ?? 0;

    /// <summary>Distinct TCP connections accepted since start.</summary>
    public int ConnectionCount => _counters.ConnectionCount;

    /// <summary>
    /// Every completed request, in completion order (sort by <see cref="RequestLog.ReceivedAt"/> for arrival order);
    /// a snapshot. Empty when <see cref="SampleApiOptions.RecordRequests"/> is false.
    /// </summary>
    public IReadOnlyList<RequestLog> Requests => _counters.Requests;

    /// <summary>Forgets the recorded requests, e.g. after a warm-up.</summary>
    public void ClearRequests() => _counters.ClearRequests();

    /// <summary>Checks the options, binds <paramref name="url"/> (port 0 picks a free port) and starts serving.</summary>
    /// <exception cref="ArgumentException">The options or the url are invalid; the message lists every problem.</exception>
    /// <exception cref="IOException">The address cannot be bound.</exception>
    public static async Task<SampleApiServer> StartAsync(
        SampleApiOptions options, string url = SampleApiDefaults.InProcessUrl, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(url);
        if (options.Validate() is [_, ..] errors)
            throw new ArgumentException("Invalid sample API options:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(options));
        var listen = ListenUrl.Parse(url);

        var counters = new ServerCounters(options.RecordRequests, options.OAuth2 is { } oauth ? new TokenIssuer(oauth, options.TimeProvider) : null);
        var catalog = new OrderCatalog(options.Seed, options.OrderCount, options.RawCustomerNames, options.RawListedCustomerNames);

        // The empty builder reads no configuration, environment or appsettings: the server is what the options say.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SampleApiServer).Assembly.GetName().Name,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddConsole();
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(listen.EndPoint, endpoint => endpoint.Use(next => connection =>
            {
                counters.ConnectionAccepted();
                return next(connection);
            }));
        });

        var app = builder.Build();
        try
        {
            // First in the pipeline, before routing, so in-flight counting covers the whole request.
            app.Use(new RequestPipeline(options, counters).InvokeAsync);
            app.UseRouting();
            new SampleApiEndpoints(catalog, options).Map(app);
            await app.StartAsync(ct).ConfigureAwait(false);
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port;
            return new SampleApiServer(app, counters, options, listen.BaseAddress(port), catalog.CustomerCount);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops accepting, lets in-flight requests finish for a short grace period, then aborts them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        using var grace = new CancellationTokenSource(SampleApiDefaults.ShutdownGraceMs);
        try
        {
            await _app.StopAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The grace period ran out; Kestrel has aborted the remaining connections.
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }
}
