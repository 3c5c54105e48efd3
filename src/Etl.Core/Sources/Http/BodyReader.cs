// Reads a response body from the socket as it streams in: a small one into one pooled buffer and parsed there, a large
// one copied to a scratch file while it is validated, so neither whole body nor all its records sit in memory at once.
using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Etl.Records;
using Etl.Storage;

namespace Etl.Sources.Http;

internal static class BodyReader
{
    /// <summary>Bodies up to this size are held and parsed in memory; larger ones go to a scratch file.</summary>
    public const int InMemoryBytes = 4 * 1024 * 1024;

    private const int FirstBufferBytes = 16 * 1024;
    private const int ChunkBytes = 64 * 1024;

    /// <summary>One attempt's answer: the response with, for a 2xx, its page, or why the body is not one.
    /// A failure of the connection while the body streams (cut, reset, stalled past the timeout) throws, as a send does.</summary>
    public static async ValueTask<HttpAttempt> ReadAsync(HttpResponseMessage response, RecordPath? recordPath, CancellationToken ct)
    {
        var declared = response.Content.Headers.ContentLength;
        var stream = await response.Content.ReadAsStreamAsync(ct);
        if (BodyCharset.Of(response.Content.Headers) is { } charset)
        {
            // Decoded to UTF-8 as it streams in: what follows (parsing, spilling, the dead letter's excerpt) sees UTF-8 only.
            stream = Encoding.CreateTranscodingStream(stream, charset, Encoding.UTF8);
            declared = null;
        }
        await using (stream.ConfigureAwait(false))
        {
            var buffer = ArrayPool<byte>.Shared.Rent(declared is { } n and <= InMemoryBytes ? (int)Math.Max(n, 1) : FirstBufferBytes);
            try
            {
                (buffer, var length, var more) = await FillAsync(stream, buffer, ct);
                if (!response.IsSuccessStatusCode)
                {
                    // An error's body serves only the dead letter.
                    return new HttpAttempt(response, ResponseBody.Head(buffer.AsSpan(0, length)), null, BodyProblem.None, null);
                }
                if (more)
                {
                    return await SpillAsync(response, stream, buffer.AsMemory(0, length), recordPath, ct);
                }
                var body = buffer.AsSpan(0, length);
                var page = ResponseBody.Parse(body, recordPath, response.StatusCode == HttpStatusCode.NoContent, out var error, out var problem);
                return new HttpAttempt(response, page is null ? ResponseBody.Head(body) : [], page, problem, error);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads into <paramref name="buffer"/>, growing it up to <see cref="InMemoryBytes"/>; More: the body may go on.
    /// Returns the buffer in use (rented; the one passed in is returned to the pool when it was outgrown).</summary>
    private static async ValueTask<(byte[] Buffer, int Length, bool More)> FillAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= InMemoryBytes)
                {
                    return (buffer, length, true);
                }
                // More than the declared length, or no length declared: double the buffer, up to the in-memory limit.
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, InMemoryBytes));
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                return (buffer, length, false);
            }
            length += read;
        }
    }

    /// <summary>A body larger than <see cref="InMemoryBytes"/>: <paramref name="head"/> and the rest of the stream go to a
    /// scratch file while <see cref="BodyScan"/> checks them; the records are read back only if all of it is good.</summary>
    private static async ValueTask<HttpAttempt> SpillAsync(HttpResponseMessage response, Stream stream, ReadOnlyMemory<byte> head, RecordPath? recordPath, CancellationToken ct)
    {
        var scan = new BodyScan(recordPath);
        var file = ScratchFile.Create();
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            try
            {
                await file.WriteAsync(head, ct);
                scan.Feed(head.Span);
                int read;
                while ((read = await stream.ReadAsync(chunk, ct)) > 0)
                {
                    await file.WriteAsync(chunk.AsMemory(0, read), ct);
                    scan.Feed(chunk.AsSpan(0, read));
                }
                scan.Finish();
            }
            catch (JsonException e)
            {
                // Stops reading at the first bad byte: the attempt fails, and nothing of it was handed on.
                file.Dispose();
                return new HttpAttempt(response, ResponseBody.Head(head.Span), null, BodyProblem.Invalid, ResponseBody.InvalidJson(e));
            }
            if (scan.ArrayStart < 0)
            {
                // No records array at recordPath (one object, null, nothing): the envelope is the whole body; read it as a small one.
                file.Dispose();
                var page = ResponseBody.Parse(scan.Envelope.Span, recordPath, blankIsEmptyPage: false, out var error, out var problem);
                return new HttpAttempt(response, page is null ? ResponseBody.Head(head.Span) : [], page, problem, error);
            }
            if (!ResponseBody.TryEnvelope(scan.Envelope.Span, out var root, out var envelopeError))
            {
                file.Dispose();
                return new HttpAttempt(response, ResponseBody.Head(head.Span), null, BodyProblem.Invalid, envelopeError);
            }
            return new HttpAttempt(response, [], new ParsedBody(root, [], new SpilledRecords(file, scan.ArrayStart, scan.ArrayEnd)), BodyProblem.None, null);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
