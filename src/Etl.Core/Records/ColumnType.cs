// The column types a spec can declare, parsed from "int64", "decimal(18,2)", "timestamp not null".
using System.Globalization;
using System.Text.RegularExpressions;

namespace Etl.Records;

public enum ColumnKind { String, Bool, Int32, Int64, Double, Decimal, Date, Timestamp }

public sealed partial record ColumnType(ColumnKind Kind, bool Nullable = true, int Precision = 0, int Scale = 0)
{
    public const string Names = "string, bool, int32, int64, double, decimal(p,s), date, timestamp";

    /// <summary>The JSON Schema pattern of a type text (lower case, as the docs write them).</summary>
    public const string SchemaPattern = @"^\s*(string|bool|int32|int64|double|date|timestamp|decimal\(\s*\d+\s*,\s*\d+\s*\))(\s+not\s+null)?\s*$";

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
                if (!m.Groups["p"].Success)
                {
                    return false;
                }
                var p = int.Parse(m.Groups["p"].Value, CultureInfo.InvariantCulture);
                var s = int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture);
                if (p is < 1 or > 38 || s < 0 || s > p)
                {
                    return false;
                }
                type = new ColumnType(ColumnKind.Decimal, nullable, p, s);
                break;
            default: return false;
        }
        return m.Groups["p"].Success == (type.Kind == ColumnKind.Decimal);
    }

    public static ColumnType Parse(string text) =>
        TryParse(text, out var t) ? t! : throw new FormatException($"expected one of {Names} (optionally followed by 'not null'); got \"{text}\"");

    public override string ToString()
    {
        var name = Kind switch
        {
            ColumnKind.Decimal => $"decimal({Precision},{Scale})",
            _ => Kind.ToString().ToLowerInvariant(),
        };
        return Nullable ? name : name + " not null";
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z0-9]+)\s*(\(\s*(?<p>\d+)\s*,\s*(?<s>\d+)\s*\))?(?<notnull>\s+not\s+null)?$", RegexOptions.IgnoreCase)]
    private static partial Regex TypePattern();
}
