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

    /// <summary>Sends <paramref name="body"/> as the whole response, or its first half under the TruncatedJson fault.</summary>
    public static Task WriteAsync(HttpContext context, int status, ReadOnlySpan<byte> body)
    {
        if (RequestState.Of(context) is { TruncateBody: true })
            body = body[..(body.Length / 2)];
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        // Copied into Kestrel's pipe synchronously; Kestrel flushes when the request delegate completes.
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
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
