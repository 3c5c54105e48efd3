// One request as the sample API saw it, for tests that check what a client sent and got.
namespace Etl.SampleApi;

/// <summary>
/// A served request. <paramref name="Status"/> is the response status, 0 when the server aborted the connection
/// (<see cref="FaultKind.AbortConnection"/>) and 499 when the client went away first.
/// <paramref name="Authorization"/> is the raw header; <paramref name="Body"/> the request body as UTF-8 text, or null.
/// </summary>
public sealed record RequestLog(
    DateTimeOffset ReceivedAt,
    string Method,
    string PathAndQuery,
    string? Authorization,
    int Status,
    int InFlightAtArrival,
    string? Body)
{
    /// <summary>Every request header as it arrived (names as sent; several values joined by ", "), to check what a client
    /// sent where (a redirect to another host must not carry credentials).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
