// Parses the one http URL the server listens on into a Kestrel endpoint and the host clients should use.
using System.Globalization;
using System.Net;

namespace Etl.SampleApi.Internal;

internal sealed record ListenUrl(IPEndPoint EndPoint, string ClientHost)
{
    public static ListenUrl Parse(string url)
    {
        // Uri rejects the wildcard hosts ASP.NET accepts, so they are mapped to "any address" first.
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal)
                            .Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttp
            || uri.AbsolutePath != "/"
            || !string.IsNullOrEmpty(uri.Query)
            || !TryResolve(uri, out var address))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"url: expected http://<host>:<port>/ with host an IP address, localhost or *; found \"{url}\""), nameof(url));
        }
        var clientHost = address.Equals(IPAddress.Any) ? "127.0.0.1"
            : address.Equals(IPAddress.IPv6Any) ? "::1"
            : uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns ? uri.Host
            : address.ToString();
        return new ListenUrl(new IPEndPoint(address, uri.Port), clientHost);
    }

    public Uri BaseAddress(int port) => new UriBuilder(Uri.UriSchemeHttp, ClientHost, port, "/").Uri;

    private static bool TryResolve(Uri uri, out IPAddress address)
    {
        if (uri.HostNameType == UriHostNameType.Dns && string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel cannot bind "localhost" on port 0; loopback IPv4 is what localhost resolves to for our clients.
            address = IPAddress.Loopback;
            return true;
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out address!);
    }
}
