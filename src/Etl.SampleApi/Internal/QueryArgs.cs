// Reads the optional query parameters of the sample API, with errors that name the parameter, range and value.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Etl.SampleApi.Internal;

internal static class QueryArgs
{
    public static string? String(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>Reads integer <paramref name="name"/> in [min, max], or <paramref name="fallback"/> when absent.</summary>
    public static bool TryInt(IQueryCollection query, string name, int fallback, int min, int max,
                              out int value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        value = fallback;
        if (!query.TryGetValue(name, out var raw))
            return true;
        if (int.TryParse(raw.ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
            && value >= min && value <= max)
            return true;
        error = string.Create(CultureInfo.InvariantCulture,
            $"query '{name}': expected an integer between {min} and {max}; found \"{raw}\"");
        return false;
    }

    /// <summary>Reads the page size from <c>page_size</c>, else <c>limit</c>, else the default.</summary>
    public static bool TryPageSize(IQueryCollection query, out int size, [NotNullWhen(false)] out string? error)
    {
        var name = query.ContainsKey("page_size") ? "page_size" : "limit";
        return TryInt(query, name, SampleApiDefaults.PageSize, 1, SampleApiDefaults.MaxPageSize, out size, out error);
    }
}
