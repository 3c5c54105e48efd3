// While a run's spec is still being read, one request goes through the HTTP stack the source uses to a listener in this
// process, so the first real requests do not wait on compiling it.
using System.Net;
using System.Net.Sockets;
using System.Text;
using Etl.Records;
using Polly;

namespace Etl.Sources.Http;

/// <summary>
/// The first request of a process runs code compiled on first use: the handler's connection pool and HTTP/1.1 parser,
/// the retry and timeout pipelines, the body reader and the JSON parse into records (generic code over the source's own
/// types, which the ahead-of-time image does not hold). On a run of many concurrent requests every first request waits
/// for it. The rehearsal sends one GET through the same client settings, pipelines and reader to a loopback listener
/// that answers one page, on a core the spec reading leaves idle. It touches no network but the loopback, shares nothing
/// with the run, and a failure is only a missed head start.
/// </summary>
internal static class HttpRehearsal
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private const string Page = """{"data":[{"id":1,"name":"a","amount":1.5,"ok":true,"at":"2026-01-01T00:00:00Z","n":null}]}""";

    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Page.Length}\r\n\r\n{Page}");

    /// <summary>Sends the rehearsal request; true when the page came back and was parsed.</summary>
    public static async Task<bool> RunAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(1);
            var serving = ServeOneAsync(listener, cts.Token);
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var client = HttpClients.Create(1, Timeout);
            var resilience = new HttpResilience(new HttpRetrySpec { MaxAttempts = 2, BaseDelayMs = 1, MaxDelayMs = 1 }, Timeout, TimeProvider.System, Random.Shared.NextDouble);
            // The outcome API the fetcher uses, with a reference-type state as its own: the same shared pipeline code is
            // compiled here, not a copy for a value type.
            var context = ResilienceContextPool.Shared.Get(cts.Token);
            var url = $"http://127.0.0.1:{port}/rehearsal";
            var outcome = await resilience.Retry.ExecuteOutcomeAsync((c, url) => resilience.Timeout.ExecuteOutcomeAsync(async (t, url) =>
            {
                try
                {
                    using var message = new HttpRequestMessage(HttpMethod.Get, url);
                    var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, t.CancellationToken);
                    return Outcome.FromResult(await BodyReader.ReadAsync(response, RecordPath.Parse("data"), t.CancellationToken));
                }
                catch (Exception e)
                {
                    return Outcome.FromException<HttpAttempt>(e);
                }
            }, c, url), context, url);
            ResilienceContextPool.Shared.Return(context);
            using var attempt = outcome.Result;
            await serving;
            return attempt?.Page is { } page && page.Items.Count == 1;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Accepts one connection, reads its request head and answers it.</summary>
    private static async Task ServeOneAsync(TcpListener listener, CancellationToken ct)
    {
        using var socket = await listener.AcceptSocketAsync(ct);
        var buffer = new byte[4096];
        var length = 0;
        while (length < buffer.Length && buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, ct);
            if (read == 0)
            {
                return;
            }
            length += read;
        }
        await socket.SendAsync(Answer, SocketFlags.None, ct);
    }
}
