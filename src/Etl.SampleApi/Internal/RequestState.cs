// Per-request facts decided by the front middleware and read by the endpoints: the body read, the truncation fault.
using Microsoft.AspNetCore.Http;

namespace Etl.SampleApi.Internal;

// Created only when a request has a body or draws TruncatedJson, so a plain GET allocates none.
internal sealed class RequestState
{
    public byte[]? Body { get; set; }

    public bool TruncateBody { get; set; }

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
