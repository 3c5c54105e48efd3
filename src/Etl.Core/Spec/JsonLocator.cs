// Maps JSON paths of a spec file to line and column, so every error can point at the text.
using System.Text;
using System.Text.Json;

namespace Etl.Spec;

public sealed class JsonLocator
{
    private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

    public JsonLocator(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }
        (int, int) Position(long offset)
        {
            var line = lineStarts.BinarySearch((int)offset);
            if (line < 0)
            {
                line = ~line - 1;
            }
            var column = Encoding.UTF8.GetCharCount(bytes.AsSpan(lineStarts[line], (int)offset - lineStarts[line])) + 1;
            return (line + 1, column);
        }
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var path = new List<string>();
            var arrayIndex = new Stack<int>();
            var containers = new Stack<bool>(); // true = array
            string? pendingName = null;
            long pendingNameOffset = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString();
                        pendingNameOffset = reader.TokenStartIndex;
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        containers.Pop();
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            arrayIndex.Pop();
                        }
                        if (path.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }
                        break;
                    default:
                        string segment;
                        long at = reader.TokenStartIndex;
                        if (containers.Count == 0)
                        {
                            segment = "";
                        }
                        else if (containers.Peek())
                        {
                            var idx = arrayIndex.Pop();
                            arrayIndex.Push(idx + 1);
                            segment = $"[{idx}]";
                        }
                        else
                        {
                            segment = "." + pendingName;
                            at = pendingNameOffset;
                        }
                        var full = string.Concat(path) + segment;
                        _positions[full.Length == 0 ? "$" : "$" + full] = Position(at);
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            if (containers.Count > 0)
                            {
                                path.Add(segment);
                            }
                            containers.Push(reader.TokenType == JsonTokenType.StartArray);
                            if (reader.TokenType == JsonTokenType.StartArray)
                            {
                                arrayIndex.Push(0);
                            }
                        }
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error is reported by the parser itself; positions found so far still help.
        }
    }

    /// <summary>Line and column of the value (or its property name) at <paramref name="jsonPath"/>, or of its nearest parent.</summary>
    public (int Line, int Column) Find(string jsonPath)
    {
        var p = jsonPath;
        while (true)
        {
            if (_positions.TryGetValue(p, out var pos))
            {
                return pos;
            }
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0)
            {
                return _positions.TryGetValue("$", out var root) ? root : (1, 1);
            }
            p = p[..cut];
        }
    }

    /// <summary>"/sinks/0/compression" → "$.sinks[0].compression".</summary>
    public static string FromPointer(string pointer)
    {
        var sb = new StringBuilder("$");
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (int.TryParse(part, out var i) && i >= 0)
            {
                sb.Append('[').Append(i).Append(']');
            }
            else
            {
                sb.Append('.').Append(part);
            }
        }
        return sb.ToString();
    }
}
