// The JSON body of POST /search, {"query": "...", "page": N, "size": M}, parsed and checked.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Etl.SampleApi.Internal;

/// <summary>A search; a query <c>status:&lt;status&gt;</c> filters by status, any other query matches every order.</summary>
internal readonly record struct SearchRequest(string? Query, int Page, int Size)
{
    private const string StatusPrefix = "status:";

    public string? Status =>
        Query is not null && Query.StartsWith(StatusPrefix, StringComparison.Ordinal) ? Query[StatusPrefix.Length..] : null;

    public static bool TryParse(byte[] body, out SearchRequest search, [NotNullWhen(false)] out string? error)
    {
        search = new SearchRequest(null, 1, SampleApiDefaults.PageSize);
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Fail("$", "an object", document.RootElement.ValueKind.ToString(), out error);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                switch (property.Name)
                {
                    case "query" when value.ValueKind is JsonValueKind.String or JsonValueKind.Null:
                        search = search with { Query = value.GetString() };
                        break;
                    case "query":
                        return Fail("$.query", "a string", value.GetRawText(), out error);
                    case "page" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var page) && page >= 1:
                        search = search with { Page = page };
                        break;
                    case "page":
                        return Fail("$.page", "an integer >= 1", value.GetRawText(), out error);
                    case "size" when value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var size)
                                     && size >= 1 && size <= SampleApiDefaults.MaxPageSize:
                        search = search with { Size = size };
                        break;
                    case "size":
                        return Fail("$.size", $"an integer between 1 and {SampleApiDefaults.MaxPageSize}", value.GetRawText(), out error);
                }
            }
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            return Fail("$", "a JSON object", "invalid JSON (" + ex.Message + ")", out error);
        }
    }

    private static bool Fail(string path, string expected, string found, out string error)
    {
        error = string.Create(CultureInfo.InvariantCulture, $"body {path}: expected {expected}; found {found}");
        return false;
    }
}
