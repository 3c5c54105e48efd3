// The one HttpClient of a source: a SocketsHttpHandler whose pool is sized for the concurrency, with decompression.
using System.Net;
using System.Net.Sockets;

namespace Etl.Sources.Http;

internal static class HttpClients
{
    /// <summary>Connections are replaced after this long, so DNS changes are seen on long runs.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1);

    /// <param name="connected">Told each time a connection is open, before its first request is written.</param>
    /// <param name="preconnections">Connections opened ahead, taken before the handler opens its own.</param>
    public static HttpClient Create(int concurrency, TimeSpan attemptTimeout, Action? connected = null, Preconnections? preconnections = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionLifetime = PooledConnectionLifetime,
            PooledConnectionIdleTimeout = PooledConnectionIdleTimeout,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = attemptTimeout,
            UseCookies = false,
            // HttpFetcher follows redirects itself: the handler would keep API keys, cookies and secret headers on another host.
            AllowAutoRedirect = false,
        };
        if (connected is not null || preconnections is not null)
        {
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = preconnections is null ? null : await preconnections.TakeAsync(context.DnsEndPoint, ct);
                socket ??= await ConnectAsync(context.DnsEndPoint, ct);
                connected?.Invoke();
                return new NetworkStream(socket, ownsSocket: true);
            };
        }
        var client = new HttpClient(handler, disposeHandler: true)
        {
            // Each attempt has its own timeout (HttpResilience); the client's would cut retries short.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd($"etl/{EtlVersion.Current}");
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return client;
    }

    /// <summary>Opens a TCP connection as the handler does when it has no callback: dual mode, no Nagle delay.</summary>
    internal static async ValueTask<Socket> ConnectAsync(DnsEndPoint endPoint, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
