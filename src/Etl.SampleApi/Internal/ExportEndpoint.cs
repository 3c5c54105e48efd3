// GET /export: a bulk export streamed as it is generated (chunked, no Content-Length), with its next cursor after the records.
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Etl.SampleApi.Internal;

/// <summary>
/// <c>/export?count=N&amp;limit=L&amp;after=K</c> answers <c>{"data": [records K+1 .. min(K+L, N)], "next_cursor": "…" | null,
/// "exported": n}</c>, written to the socket while it is generated, as bulk-export APIs do; one record is about 79 bytes,
/// so a million of them make a 79 MB body. The body faults break it where a real export breaks: the connection cut
/// halfway (CutMidBody), the records stopping halfway in a body that ends cleanly (TruncatedJson), the last byte wrong
/// (InvalidAtEnd).
/// </summary>
internal static class ExportEndpoint
{
    public const int MaxCount = 100_000_000;
    private const int FlushBytes = 32 * 1024;

    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText NextCursorName = JsonEncodedText.Encode("next_cursor");
    private static readonly JsonEncodedText ExportedName = JsonEncodedText.Encode("exported");
    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText CustomerName = JsonEncodedText.Encode("customer_id");
    private static readonly JsonEncodedText AmountName = JsonEncodedText.Encode("amount");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText SkuName = JsonEncodedText.Encode("sku");
    private static readonly JsonEncodedText[] Statuses = [.. new[] { "paid", "pending", "shipped", "refunded" }.Select(s => JsonEncodedText.Encode(s))];
    private static readonly JsonEncodedText[] Skus = [.. new[] { "A-1", "B-7", "C-3", "D-12" }.Select(s => JsonEncodedText.Encode(s))];

    public static void Map(IEndpointRouteBuilder routes) => routes.MapGet("/export", ExportAsync);

    private static async Task ExportAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!QueryArgs.TryInt(query, "count", SampleApiDefaults.OrderCount, 0, MaxCount, out var count, out var error)
            || !QueryArgs.TryInt(query, "limit", count, 1, MaxCount, out var limit, out error)
            || !QueryArgs.TryInt(query, "after", 0, 0, MaxCount, out var after, out error))
        {
            await ErrorResponses.BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        var last = (int)Math.Min((long)after + limit, count);
        var fault = RequestState.Of(context)?.BodyFault;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        var body = response.BodyWriter;
        if (fault == FaultKind.ByteOrderMark)
            body.Write(JsonResponse.ByteOrderMark);
        var writer = new Utf8JsonWriter(body, JsonResponse.WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(DataName);
            var half = after + (last - after) / 2;
            for (var id = after + 1; id <= last; id++)
            {
                if (id > half && fault is FaultKind.CutMidBody or FaultKind.TruncatedJson)
                {
                    await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    if (fault == FaultKind.CutMidBody)
                        await JsonResponse.AbortAfterFlushAsync(context).ConfigureAwait(false);
                    return;
                }
                WriteRecord(writer, id);
                if (writer.BytesPending >= FlushBytes)
                {
                    writer.Flush();
                    await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                }
            }
            writer.WriteEndArray();
            if (last < count)
                writer.WriteString(NextCursorName, last.ToString(CultureInfo.InvariantCulture));
            else
                writer.WriteNull(NextCursorName);
            writer.WriteNumber(ExportedName, last - after);
            if (fault != FaultKind.InvalidAtEnd)
                writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
        if (fault == FaultKind.InvalidAtEnd)
            await body.WriteAsync(JsonResponse.InvalidLastByte.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteRecord(Utf8JsonWriter writer, int id)
    {
        var mix = Mix(id);
        writer.WriteStartObject();
        writer.WriteNumber(IdName, id);
        writer.WriteNumber(CustomerName, 1 + (int)(mix % 50_000));
        writer.WriteNumber(AmountName, new decimal(100 + (int)((mix >> 20) % 99_900), 0, 0, isNegative: false, scale: 2));
        writer.WriteString(StatusName, Statuses[(int)(mix >> 40) & 3]);
        writer.WriteString(SkuName, Skus[(int)(mix >> 50) & 3]);
        writer.WriteEndObject();
    }

    // The SplitMix64 finalizer of the id: the same record whatever the page it is exported in.
    private static ulong Mix(int id)
    {
        var z = (ulong)(uint)id * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
