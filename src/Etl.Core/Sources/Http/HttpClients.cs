// The one HttpClient of a source: a SocketsHttpHandler whose pool is sized for the concurrency, with decompression.
using System.Net;

namespace Etl.Sources.Http;

internal static class HttpClients
{
    /// <summary>Connections are replaced after this long, so DNS changes are seen on long runs.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);

    public static HttpClient Create(int concurrency, TimeSpan attemptTimeout)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = PooledConnectionLifetime,
            PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = attemptTimeout,
            UseCookies = false,
        };
        var client = new HttpClient(handler, disposeHandler: true)
        {
            // Each attempt has its own timeout (HttpResilience); the client's would cut retries short.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"etl/{EtlVersion.Current}");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }
}
