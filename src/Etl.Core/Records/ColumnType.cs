// The column types a spec can declare, parsed from "int64", "decimal(18,2)", "timestamp not null".
using System.Globalization;
using System.Text.RegularExpressions;

namespace Etl.Records;

public enum ColumnKind { String, Bool, Int32, Int64, Double, Decimal, Date, Timestamp }

/// <param name="Format">For date and timestamp: the text layout (yyyy/MM/dd), or unix / unix_ms for epoch numbers.</param>
/// <param name="Zone">For a timestamp format without an offset: the IANA zone its local times are in.</param>
public sealed partial record ColumnType(ColumnKind Kind, bool Nullable = true, int Precision = 0, int Scale = 0, string? Format = null, string? Zone = null)
{
    public const string Names = "string, bool, int32, int64, double, decimal(p,s), date, timestamp";

    /// <summary>The JSON Schema pattern of a type text (lower case, as the docs write them).</summary>
    public const string SchemaPattern = @"^\s*(string|bool|int32|int64|double|(date|timestamp)(\([^)]+\))?|decimal\(\s*\d+\s*,\s*\d+\s*\))(\s+not\s+null)?\s*$";

    public const string Expected = "one of " + Names + " (optionally followed by 'not null')";

    public static ColumnType String { get; } = new(ColumnKind.String);

    public static bool TryParse(string text, out ColumnType? type)
    {
        type = null;
        var m = TypePattern().Match(text.Trim());
        if (!m.Success)
        {
            return false;
        }
        var nullable = !m.Groups["notnull"].Success;
        switch (m.Groups["name"].Value.ToLowerInvariant())
        {
            case "string": type = new ColumnType(ColumnKind.String, nullable); break;
            case "bool": type = new ColumnType(ColumnKind.Bool, nullable); break;
            case "int32": type = new ColumnType(ColumnKind.Int32, nullable); break;
            case "int64": type = new ColumnType(ColumnKind.Int64, nullable); break;
            case "double": type = new ColumnType(ColumnKind.Double, nullable); break;
            case "date": type = new ColumnType(ColumnKind.Date, nullable); break;
            case "timestamp": type = new ColumnType(ColumnKind.Timestamp, nullable); break;
            case "decimal":
                var ps = DecimalArgs().Match(m.Groups["args"].Value);
                if (!ps.Success)
                {
                    return false;
                }
                var p = int.Parse(ps.Groups["p"].Value, CultureInfo.InvariantCulture);
                var s = int.Parse(ps.Groups["s"].Value, CultureInfo.InvariantCulture);
                if (p is < 1 or > 38 || s < 0 || s > p)
                {
                    return false;
                }
                type = new ColumnType(ColumnKind.Decimal, nullable, p, s);
                break;
            default: return false;
        }
        if (m.Groups["args"].Success && type.Kind is ColumnKind.Date or ColumnKind.Timestamp)
        {
            type = DateFormat.WithFormat(type, m.Groups["args"].Value);
            return type is not null;
        }
        if (m.Groups["args"].Success != (type.Kind == ColumnKind.Decimal))
        {
            type = null;
            return false;
        }
        return true;
    }

    public static ColumnType Parse(string text) =>
        TryParse(text, out var t) ? t! : throw new FormatException($"expected one of {Names} (optionally followed by 'not null'); got \"{text}\"");

    public override string ToString()
    {
        var name = Kind switch
        {
            ColumnKind.Decimal => $"decimal({Precision},{Scale})",
            _ when Format is not null => $"{Kind.ToString().ToLowerInvariant()}({Format}{(Zone is null ? "" : ", " + Zone)})",
            _ => Kind.ToString().ToLowerInvariant(),
        };
        return Nullable ? name : name + " not null";
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z0-9]+)\s*(\((?<args>[^)]+)\))?(?<notnull>\s+not\s+null)?$", RegexOptions.IgnoreCase)]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^\s*(?<p>\d+)\s*,\s*(?<s>\d+)\s*$")]
    private static partial Regex DecimalArgs();
}
