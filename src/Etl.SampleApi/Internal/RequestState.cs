// Per-request facts decided by the front middleware and read by the endpoints: the body read, the fault that breaks the body, the media type.
using Microsoft.AspNetCore.Http;

namespace Etl.SampleApi.Internal;

// Created only when a request has a body or draws a body fault, so a plain GET allocates none.
internal sealed class RequestState
{
    public byte[]? Body { get; set; }

    /// <summary>TruncatedJson, CutMidBody, InvalidAtEnd or ByteOrderMark: how the endpoint alters the body it sends; null for a plain body.</summary>
    public FaultKind? BodyFault { get; set; }

    /// <summary>The Content-Type of a JSON answer and the encoding of its body, when the options ask for other than UTF-8 JSON.</summary>
    public (string ContentType, System.Text.Encoding? Encoding)? Representation { get; set; }

    public static RequestState? Of(HttpContext context) => context.Features.Get<RequestState>();

    public static RequestState GetOrAdd(HttpContext context)
    {
        var state = Of(context);
        if (state is null)
        {
            state = new RequestState();
            context.Features.Set(state);
        }
        return state;
    }
}
