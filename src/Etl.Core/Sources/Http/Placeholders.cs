// {name} placeholders in a path, query, header or body string: parsed once, filled per request.
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Etl.Sources.Http;

internal sealed partial class Placeholders
{
    /// <summary>A placeholder's name: letters, digits and _, not starting with a digit.</summary>
    private const string Name = "[A-Za-z_][A-Za-z0-9_]*";

    [GeneratedRegex(@"\{(?<name>" + Name + @")\}")]
    private static partial Regex Pattern();

    [GeneratedRegex("^" + Name + "$")]
    private static partial Regex NamePattern();

    /// <summary>Whether <paramref name="name"/> can be a placeholder's name: letters, digits and _, not starting with a digit.</summary>
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    private readonly string[] _literals;
    private readonly int[] _slots;

    private Placeholders(string[] literals, int[] slots)
    {
        _literals = literals;
        _slots = slots;
    }

    /// <summary>True when the text has no placeholder of a known value.</summary>
    public bool IsLiteral => _slots.Length == 0;

    /// <summary>The value index when the whole text is one placeholder ("{id}"), else -1.</summary>
    public int WholeSlot => _slots.Length == 1 && _literals[0].Length == 0 && _literals[1].Length == 0 ? _slots[0] : -1;

    /// <summary>Names of every {name} in <paramref name="text"/>, known or not.</summary>
    public static IEnumerable<string> NamesIn(string? text) =>
        text is null ? [] : Pattern().Matches(text).Select(m => m.Groups["name"].Value);

    /// <summary>Parses <paramref name="text"/>; {name} for a name not in <paramref name="names"/> stays literal.</summary>
    public static Placeholders Parse(string text, IReadOnlyList<string> names)
    {
        var literals = new List<string>();
        var slots = new List<int>();
        var last = 0;
        foreach (Match m in Pattern().Matches(text))
        {
            var slot = IndexOf(names, m.Groups["name"].Value);
            if (slot < 0)
            {
                continue;
            }
            literals.Add(text[last..m.Index]);
            slots.Add(slot);
            last = m.Index + m.Length;
        }
        literals.Add(text[last..]);
        return new Placeholders([.. literals], [.. slots]);
    }

    public string Fill(IReadOnlyList<object> values, Func<string, string>? escape = null)
    {
        if (_slots.Length == 0)
        {
            return _literals[0];
        }
        var sb = new StringBuilder(_literals[0]);
        for (var i = 0; i < _slots.Length; i++)
        {
            var text = Text(values[_slots[i]]);
            sb.Append(escape is null ? text : escape(text)).Append(_literals[i + 1]);
        }
        return sb.ToString();
    }

    /// <summary>A value as it appears in a URL, header, body string or <c>$request.name</c>.</summary>
    public static string Text(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
