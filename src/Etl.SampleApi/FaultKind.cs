// The transient faults the sample API can inject into a response.
namespace Etl.SampleApi;

/// <summary>A fault the server answers with instead of (or before) the real response.</summary>
public enum FaultKind
{
    /// <summary>500 with <c>{"error":"boom"}</c>.</summary>
    Status500,

    /// <summary>503 with <c>Retry-After</c>.</summary>
    Status503,

    /// <summary>429 with <c>Retry-After</c>.</summary>
    TooManyRequests,

    /// <summary>Waits <see cref="SampleApiOptions.SlowResponseMs"/>, then answers normally.</summary>
    SlowResponse,

    /// <summary>Aborts the TCP connection before any byte of the response is sent.</summary>
    AbortConnection,

    /// <summary>200 with a body that is not JSON (<c>{"data": [1, 2,</c>).</summary>
    MalformedJson,

    /// <summary>200 with the real body cut in half (Content-Length matches the half).</summary>
    TruncatedJson,

    /// <summary>200 with an empty body (Content-Length: 0).</summary>
    EmptyBody,

    /// <summary>200 with an HTML error page, as a failing proxy or gateway sends.</summary>
    HtmlErrorPage,

    /// <summary>200 whose body stops halfway: the connection is aborted after the first half was sent.</summary>
    CutMidBody,

    /// <summary>200 with the real body, all of it sent, whose last byte is replaced so the JSON is invalid at its very end.</summary>
    InvalidAtEnd,

    /// <summary>200 with the real body after a UTF-8 byte order mark, as some Windows servers send: not a fault for a
    /// client that follows RFC 8259 (a parser may ignore the mark), a failure for one that does not.</summary>
    ByteOrderMark,

    /// <summary><see cref="SampleApiOptions.RedirectStatus"/> with a <c>Location</c> to the same path and query (relative), or to
    /// <see cref="SampleApiOptions.RedirectPath"/> and on <see cref="SampleApiOptions.RedirectTo"/> (absolute) when set.</summary>
    Redirect,

    /// <summary>204 No Content, no body: how some APIs say a page past the last is empty.</summary>
    NoContent,
}
