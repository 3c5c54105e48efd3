// Parses a response body into the items at recordPath: an array, one object, or nothing (204 No Content or null).
using System.Text;
using System.Text.Json;
using Etl.Records;

namespace Etl.Sources.Http;

/// <summary>A parsed page: the whole body (for cursors and totals) and the items found at recordPath; for a large body,
/// the body without its items and the items still on disk (<paramref name="Spilled"/>), read as they are handed on.</summary>
internal sealed record ParsedBody(object? Root, IReadOnlyList<object?> Items, SpilledRecords? Spilled = null);

internal static class ResponseBody
{
    /// <summary>Bytes of a body kept in a dead letter.</summary>
    public const int DeadLetterBytes = 1024;

    // Pools of names kept across responses: a page's field names are not allocated again for every response, and records
    // of one shape share one name array across pages. A parse takes a pool for itself (parsing is synchronous), so there
    // are as many pools as parses ever ran at once, not one per thread: each pool's value table is a 0.5 MB large-object
    // array, and one per thread-pool thread made the collector run full collections for them.
    private static readonly Stack<NamePool> Pools = new();

    private static NamePool RentNames()
    {
        lock (Pools)
        {
            return Pools.TryPop(out var names) ? names : new NamePool();
        }
    }

    private static void ReturnNames(NamePool names)
    {
        lock (Pools)
        {
            Pools.Push(names);
        }
    }

    /// <summary>Parses <paramref name="body"/>; returns null, the problem and an error when it is not JSON or has nothing at the path.
    /// A blank body is a page without records only when <paramref name="blankIsEmptyPage"/> (204 No Content).</summary>
    public static ParsedBody? Parse(ReadOnlySpan<byte> body, RecordPath? recordPath, bool blankIsEmptyPage, out string? error, out BodyProblem problem)
    {
        var names = RentNames();
        try
        {
            return Parse(body, recordPath, blankIsEmptyPage, names, out error, out problem);
        }
        finally
        {
            ReturnNames(names);
        }
    }

    private static ParsedBody? Parse(ReadOnlySpan<byte> body, RecordPath? recordPath, bool blankIsEmptyPage, NamePool names, out string? error,
        out BodyProblem problem)
    {
        error = null;
        problem = BodyProblem.None;
        body = body[Utf8Bom.LengthAt(body)..];
        if (IsBlank(body))
        {
            if (blankIsEmptyPage)
            {
                return new ParsedBody(null, []);
            }
            // An empty 200 is what a cut connection or a failing proxy leaves: worth another attempt, not an empty page.
            error = "the body is empty";
            problem = BodyProblem.Invalid;
            return null;
        }
        object? root;
        try
        {
            // A body that is not all UTF-8, or holds an escape that is no UTF-16 text, is read record by record instead.
            if (!Utf8Validity.IsValid(body))
            {
                return ParseByRecord(body, recordPath, names, out error, out problem);
            }
            root = RecordJson.Parse(body, names);
        }
        catch (JsonException e)
        {
            error = InvalidJson(e);
            problem = BodyProblem.Invalid;
            return null;
        }
        catch (InvalidOperationException)
        {
            return ParseByRecord(body, recordPath, names, out error, out problem);
        }
        var target = recordPath is null ? root
            : root is Record r && Locate(r, recordPath, out var found) is var value && found ? value
            : Missing;
        switch (target)
        {
            case IReadOnlyList<object?> list:
                return new ParsedBody(root, list);
            case Record single:
                return new ParsedBody(root, [single]);
            case null:
                // "data": null reads as an empty page, as many APIs end paging that way.
                return new ParsedBody(root, []);
            default:
                error = recordPath is null ? "expected a JSON array or object in the body" : $"no array or object at recordPath '{recordPath.Text}'";
                problem = BodyProblem.MissingRecords;
                return null;
        }
    }

    public static string InvalidJson(Exception e) => $"the body is not valid JSON: {e.Message}";

    /// <summary>A body with text that does not decode: its records array is read item by item, an item that does not decode
    /// becoming an <see cref="UnreadableRecord"/>; what lies around the array must decode, or the body fails.</summary>
    private static ParsedBody? ParseByRecord(ReadOnlySpan<byte> body, RecordPath? recordPath, NamePool names, out string? error, out BodyProblem problem)
    {
        var scan = new BodyScan(recordPath);
        try
        {
            scan.Feed(body);
            scan.Finish();
        }
        catch (JsonException e)
        {
            error = InvalidJson(e);
            problem = BodyProblem.Invalid;
            return null;
        }
        if (scan.ArrayStart < 0)
        {
            // No records array at the path (one object, or a path BodyScan does not follow): nothing to set apart.
            error = Undecodable(body);
            problem = BodyProblem.Invalid;
            return null;
        }
        if (!TryEnvelope(scan.Envelope.Span, names, out var root, out error))
        {
            problem = BodyProblem.Invalid;
            return null;
        }
        var array = body[(int)scan.ArrayStart..((int)scan.ArrayEnd + 1)];
        var reader = new Utf8JsonReader(array, JsonReading.Options);
        reader.Read(); // the '['
        var items = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var end = reader;
            end.Skip();
            items.Add(UnreadableRecord.Read(ref reader, end, array, names));
        }
        problem = BodyProblem.None;
        return new ParsedBody(root, items);
    }

    /// <summary>The body around a records array (the array left empty), parsed; false and why when its text does not decode.</summary>
    public static bool TryEnvelope(ReadOnlySpan<byte> envelope, out object? root, out string? error)
    {
        var names = RentNames();
        try
        {
            return TryEnvelope(envelope, names, out root, out error);
        }
        finally
        {
            ReturnNames(names);
        }
    }

    private static bool TryEnvelope(ReadOnlySpan<byte> envelope, NamePool names, out object? root, out string? error)
    {
        root = null;
        error = null;
        if (!Utf8Validity.IsValid(envelope))
        {
            error = Undecodable(envelope);
            return false;
        }
        try
        {
            root = RecordJson.Parse(envelope, names);
            return true;
        }
        catch (InvalidOperationException e)
        {
            error = InvalidJson(e);
            return false;
        }
    }

    /// <summary>Why a body whose text does not decode is not a page.</summary>
    private static string Undecodable(ReadOnlySpan<byte> body)
    {
        if (!Utf8Validity.IsValid(body))
        {
            return "the body is not UTF-8 text (and declares no other charset)";
        }
        try
        {
            RecordJson.Parse(body);
            return "the body is not valid JSON";
        }
        catch (InvalidOperationException e)
        {
            return InvalidJson(e);
        }
    }

    /// <summary>The first <see cref="DeadLetterBytes"/> bytes of a body, kept for a dead letter.</summary>
    public static byte[] Head(ReadOnlySpan<byte> body) => body[..Math.Min(body.Length, DeadLetterBytes)].ToArray();

    /// <summary>The first <see cref="DeadLetterBytes"/> bytes of a body as text.</summary>
    public static string Excerpt(ReadOnlySpan<byte> body) =>
        Encoding.UTF8.GetString(body[..Math.Min(body.Length, DeadLetterBytes)]);

    private static readonly object Missing = new();

    private static object? Locate(Record root, RecordPath path, out bool found)
    {
        var value = path.Read(root);
        // RecordPath reads a missing field and a null one alike; a missing one is an error, a null one an empty page.
        found = value is not null || ExistsAsNull(root, path.Text);
        return value;
    }

    private static bool ExistsAsNull(Record root, string dotted)
    {
        object? current = root;
        var parts = dotted.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            if (current is not Record r || !r.TryGet(parts[i], out var next))
            {
                return false;
            }
            current = next;
        }
        return current is null;
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }
        return true;
    }
}
