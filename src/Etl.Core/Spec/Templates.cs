// Expands ${name} from parameters and ${env:NAME} from the environment in every string of a spec.
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Etl.Spec;

public static partial class Templates
{
    /// <summary>Names under this prefix are filled in by the runtime (incremental state), not at load.</summary>
    public const string RuntimePrefix = "incremental.";

    [GeneratedRegex(@"\$\$\{|\$\{(?<name>[^}]*)\}")]
    private static partial Regex Placeholder();

    public static IEnumerable<string> NamesIn(string text) =>
        Placeholder().Matches(text).Where(m => m.Groups["name"].Success).Select(m => m.Groups["name"].Value.Trim());

    /// <summary>Expands every string value below <paramref name="node"/> in place; problems go to <paramref name="errors"/>
    /// as (JSON path, message).</summary>
    public static void ExpandAll(JsonNode? node, string path, IReadOnlyDictionary<string, string> parameters, Redactor secrets,
        List<(string Path, string Message)> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    if (key == "$schema")
                    {
                        continue;
                    }
                    var childPath = $"{path}.{key}";
                    if (child is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        obj[key] = Expand(s, childPath, parameters, secrets, errors);
                    }
                    else
                    {
                        ExpandAll(child, childPath, parameters, secrets, errors);
                    }
                }
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                {
                    var childPath = $"{path}[{i}]";
                    if (arr[i] is JsonValue v && v.TryGetValue<string>(out var s))
                    {
                        arr[i] = Expand(s, childPath, parameters, secrets, errors);
                    }
                    else
                    {
                        ExpandAll(arr[i], childPath, parameters, secrets, errors);
                    }
                }
                break;
        }
    }

    public static string Expand(string text, string path, IReadOnlyDictionary<string, string> parameters, Redactor secrets,
        List<(string Path, string Message)> errors)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }
        return Placeholder().Replace(text, m =>
        {
            if (!m.Groups["name"].Success)
            {
                return "${";
            }
            var name = m.Groups["name"].Value.Trim();
            if (name.StartsWith("env:", StringComparison.Ordinal))
            {
                var variable = name[4..];
                var value = Environment.GetEnvironmentVariable(variable);
                if (value is null)
                {
                    errors.Add((path, $"environment variable {variable} is not set (used as ${{{name}}})"));
                    return m.Value;
                }
                secrets.Add(value);
                return value;
            }
            if (name.StartsWith(RuntimePrefix, StringComparison.Ordinal))
            {
                return m.Value;
            }
            if (parameters.TryGetValue(name, out var p))
            {
                return p;
            }
            var known = parameters.Keys.Order(StringComparer.Ordinal).ToList();
            var hint = Suggest.Closest(name, known);
            errors.Add((path, $"unknown parameter ${{{name}}}" +
                (hint is not null ? $" (did you mean ${{{hint}}}?)" : known.Count > 0 ? $"; parameters are {string.Join(", ", known)}" : "; the spec declares no parameters")));
            return m.Value;
        });
    }

    /// <summary>Whether a name or a text in <paramref name="node"/> holds a runtime placeholder (${incremental.…}), as
    /// <c>RuntimeExpansion</c> looks for one.</summary>
    public static bool HasRuntimePlaceholder(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(kv => kv.Key.Contains("${" + RuntimePrefix, StringComparison.Ordinal) || HasRuntimePlaceholder(kv.Value)),
        JsonArray a => a.Any(HasRuntimePlaceholder),
        JsonValue v => v.TryGetValue<string>(out var text) && text.Contains("${" + RuntimePrefix, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Fills runtime placeholders such as ${incremental.last} in an already loaded string.</summary>
    public static string ExpandRuntime(string text, IReadOnlyDictionary<string, string> values)
    {
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }
        var sb = new StringBuilder();
        var last = 0;
        foreach (Match m in Placeholder().Matches(text))
        {
            if (!m.Groups["name"].Success)
            {
                continue;
            }
            var name = m.Groups["name"].Value.Trim();
            if (values.TryGetValue(name, out var v))
            {
                sb.Append(text, last, m.Index - last).Append(v);
                last = m.Index + m.Length;
            }
        }
        return sb.Append(text, last, text.Length - last).ToString();
    }
}
