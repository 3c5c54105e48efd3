// Hive-style partition folder names (key=value), escaped so no value can leave the sink folder.
using System.Text;
using Etl.Records;

namespace Etl.Lake;

public static class PartitionPath
{
    public const string DefaultPartition = "__HIVE_DEFAULT_PARTITION__";

    /// <summary>Escapes as Hive and Spark do (%XX for '/', '\\', '=', '%', ':', control characters and the like);
    /// null and empty values become <see cref="DefaultPartition"/>.</summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return DefaultPartition;
        }
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c < 0x20 || c == 0x7F || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '[' or ']' or '^' or '{' or '}' or '<' or '>' or '|')
            {
                sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }
        var escaped = sb.ToString();
        // "." and ".." are folder names with a meaning of their own.
        return escaped is "." or ".." ? escaped.Replace(".", "%2E", StringComparison.Ordinal) : escaped;
    }

    public static string Segment(string column, object? value) =>
        $"{Escape(column)}={Escape(value is null ? null : ValueConverter.ToText(value))}";

    /// <summary>Reads partition folders back: "country=FR/date=2026-11-28" → [(country, FR), (date, 2026-11-28)];
    /// <see cref="DefaultPartition"/> reads as null.</summary>
    public static List<KeyValuePair<string, string?>> Parse(string relativeFolder)
    {
        var result = new List<KeyValuePair<string, string?>>();
        foreach (var segment in relativeFolder.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = segment.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                var value = Uri.UnescapeDataString(segment[(eq + 1)..]);
                result.Add(new(Uri.UnescapeDataString(segment[..eq]), value == DefaultPartition ? null : value));
            }
        }
        return result;
    }
}
