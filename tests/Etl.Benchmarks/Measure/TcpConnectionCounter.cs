// Counts the TCP connections made to one local server port, from /proc/net/tcp, independently of client and server.
using System.Globalization;

namespace Etl.Benchmarks.Measure;

/// <summary>
/// Samples /proc/net/tcp and /proc/net/tcp6 and collects the client ports of every socket whose either end is the server
/// port. A connection stays listed while open and for a minute in TIME_WAIT after it closes, so sampling every 100 ms
/// misses none; ports seen before <see cref="Start"/> (the readiness probe) are not counted.
/// </summary>
public sealed class TcpConnectionCounter(int serverPort) : IAsyncDisposable
{
    private const int PollMilliseconds = 100;
    private readonly HashSet<int> _before = [];
    private readonly HashSet<int> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start()
    {
        _before.UnionWith(Sample(serverPort));
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Collect();
                try
                {
                    await Task.Delay(PollMilliseconds, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
    }

    /// <summary>Stops sampling (after one last sample) and returns the number of connections opened since <see cref="Start"/>.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        Collect();
        return _seen.Count;
    }

    private void Collect()
    {
        foreach (var port in Sample(serverPort))
        {
            if (!_before.Contains(port))
            {
                _seen.Add(port);
            }
        }
    }

    /// <summary>Client ports of the sockets connected to <paramref name="port"/> (listening sockets excluded).</summary>
    public static IEnumerable<int> Sample(int port)
    {
        var found = new List<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (IOException)
            {
                continue;
            }
            found.AddRange(ParseTable(lines, port));
        }
        return found;
    }

    /// <summary>Parses the lines of a /proc/net/tcp table (header first).</summary>
    public static IEnumerable<int> ParseTable(IEnumerable<string> lines, int port)
    {
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4 || parts[3] == "0A")
            {
                continue; // malformed, or LISTEN
            }
            var local = PortOf(parts[1]);
            var remote = PortOf(parts[2]);
            if (remote == port)
            {
                yield return local;
            }
            else if (local == port)
            {
                yield return remote;
            }
        }
    }

    private static int PortOf(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon < 0 ? -1 : int.Parse(address.AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }
}
