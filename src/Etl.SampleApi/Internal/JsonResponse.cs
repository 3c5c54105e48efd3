// Writes JSON responses with a known Content-Length from a per-thread buffer and writer, so serving allocates little.
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Etl.SampleApi.Internal;

internal static class JsonResponse
{
    private const int RetainedBufferLimit = 1 << 20;
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");

    // Relaxed escaping keeps "Zoë" readable; the body is JSON for machines, never embedded in HTML.
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>Serializes with <paramref name="write"/> then sends; the writing is synchronous, so the per-thread cache is safe.</summary>
    public static Task WriteAsync<TState>(HttpContext context, int status, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        write(writer, state);
        writer.Flush();
        var task = WriteAsync(context, status, buffer.WrittenSpan);
        if (buffer.Capacity > RetainedBufferLimit)
        {
            t_buffer = null;
            t_writer = null;
        }
        return task;
    }

    /// <summary>Sends <paramref name="body"/> as the whole response, or broken as the request's body fault says.</summary>
    public static Task WriteAsync(HttpContext context, int status, ReadOnlySpan<byte> body)
    {
        var state = RequestState.Of(context);
        var fault = state?.BodyFault;
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = state?.Representation?.ContentType ?? SampleApiDefaults.MediaType;
        if (state?.Representation?.Encoding is { } encoding)
            body = encoding.GetBytes(System.Text.Encoding.UTF8.GetString(body));
        switch (fault)
        {
            case FaultKind.TruncatedJson:
                body = body[..(body.Length / 2)];
                break;
            case FaultKind.CutMidBody:
                response.ContentLength = body.Length;
                response.BodyWriter.Write(body[..(body.Length / 2)]);
                return AbortAfterFlushAsync(context);
            case FaultKind.ByteOrderMark:
                response.ContentLength = ByteOrderMark.Length + body.Length;
                response.BodyWriter.Write(ByteOrderMark);
                response.BodyWriter.Write(body);
                return Task.CompletedTask;
            case FaultKind.InvalidAtEnd when body.Length > 0:
                response.ContentLength = body.Length;
                response.BodyWriter.Write(body[..^1]);
                response.BodyWriter.Write(InvalidLastByte);
                return Task.CompletedTask;
        }
        response.ContentLength = body.Length;
        // Copied into Kestrel's pipe synchronously; Kestrel flushes when the request delegate completes.
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
    }

    /// <summary>What <see cref="FaultKind.ByteOrderMark"/> puts before a body: the UTF-8 encoding of U+FEFF.</summary>
    public static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>What <see cref="FaultKind.InvalidAtEnd"/> puts in place of a body's last byte.</summary>
    public static ReadOnlySpan<byte> InvalidLastByte => "!"u8;

    /// <summary>Sends what was written so far, then drops the connection: the client sees a body that stops short.</summary>
    public static async Task AbortAfterFlushAsync(HttpContext context)
    {
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    /// <summary>Sends <c>{"error": message}</c>.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message) =>
        WriteAsync(context, status, message, static (writer, message) =>
        {
            writer.WriteStartObject();
            writer.WriteString(ErrorName, message);
            writer.WriteEndObject();
        });
}
