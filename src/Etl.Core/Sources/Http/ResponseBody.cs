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

    // One pool of names per thread, kept across responses: a page's field names are not allocated again for every
    // response, and records of one shape share one name array across pages (parsing is synchronous, so no other
    // response can use the pool meanwhile).
    [ThreadStatic]
    private static NamePool? t_names;

    private static NamePool Names => t_names ??= new NamePool();

    /// <summary>Parses <paramref name="body"/>; returns null, the problem and an error when it is not JSON or has nothing at the path.
    /// A blank body is a page without records only when <paramref name="blankIsEmptyPage"/> (204 No Content).</summary>
    public static ParsedBody? Parse(ReadOnlySpan<byte> body, RecordPath? recordPath, bool blankIsEmptyPage, out string? error, out BodyProblem problem)
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
            root = RecordJson.Parse(body, Names);
        }
        catch (JsonException e)
        {
            error = InvalidJson(e);
            problem = BodyProblem.Invalid;
            return null;
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

    public static string InvalidJson(JsonException e) => $"the body is not valid JSON: {e.Message}";

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
