// The canned non-200 (and deliberately broken 200) responses the sample API sends.
using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Etl.SampleApi.Internal;

internal static class ErrorResponses
{
    public static Task InternalErrorAsync(HttpContext context) =>
        JsonResponse.WriteAsync(context, StatusCodes.Status500InternalServerError, """{"error":"boom"}"""u8);

    public static Task ServiceUnavailableAsync(HttpContext context, string retryAfter)
    {
        context.Response.Headers.RetryAfter = retryAfter;
        return JsonResponse.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, """{"error":"service unavailable"}"""u8);
    }

    public static Task TooManyRequestsAsync(HttpContext context, string retryAfter)
    {
        context.Response.Headers.RetryAfter = retryAfter;
        return JsonResponse.WriteAsync(context, StatusCodes.Status429TooManyRequests, """{"error":"too many requests"}"""u8);
    }

    /// <summary>429 of the fixed-window rate limit; the RateLimit-* headers are already set.</summary>
    public static Task RateLimitedAsync(HttpContext context) =>
        JsonResponse.WriteAsync(context, StatusCodes.Status429TooManyRequests, """{"error":"rate limit exceeded"}"""u8);

    public static Task UnauthorizedAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return JsonResponse.WriteAsync(context, StatusCodes.Status401Unauthorized, """{"error":"missing or wrong bearer token"}"""u8);
    }

    /// <summary>A 3xx to <paramref name="location"/>, with no body.</summary>
    public static Task RedirectAsync(HttpContext context, int status, string location)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>200 whose body stops in the middle of an array.</summary>
    public static Task MalformedJsonAsync(HttpContext context) =>
        JsonResponse.WriteAsync(context, StatusCodes.Status200OK, """{"data": [1, 2,"""u8);

    /// <summary>200 with nothing in it.</summary>
    public static Task EmptyBodyAsync(HttpContext context) =>
        JsonResponse.WriteAsync(context, StatusCodes.Status200OK, ReadOnlySpan<byte>.Empty);

    /// <summary>200 with the HTML page a proxy shows when the server behind it fails.</summary>
    public static Task HtmlErrorPageAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html";
        var page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"u8;
        context.Response.ContentLength = page.Length;
        context.Response.BodyWriter.Write(page);
        return Task.CompletedTask;
    }

    public static Task NotFoundAsync(HttpContext context, string message) =>
        JsonResponse.ErrorAsync(context, StatusCodes.Status404NotFound, message);

    public static Task BadRequestAsync(HttpContext context, string message) =>
        JsonResponse.ErrorAsync(context, StatusCodes.Status400BadRequest, message);
}
