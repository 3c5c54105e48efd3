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
            var walker = new PathWalker();
            while (reader.Read())
            {
                if (walker.Step(ref reader) is { } value)
                {
                    _positions[value.Path] = Position(value.Offset);
                }
            }
        }
        catch (JsonException)
        {
            // A syntax error is reported by the parser itself; positions found so far still help.
        }
    }

    /// <summary>Follows the tokens of a JSON document and names the JSON path of each value as it starts.</summary>
    private sealed class PathWalker
    {
        private readonly List<string> _path = [];
        private readonly Stack<int> _arrayIndex = new();
        private readonly Stack<bool> _containers = new(); // true = array
        private string? _pendingName;
        private long _pendingNameOffset;

        /// <summary>The path of the value the reader is on and where it starts (its property name, in an object); null
        /// for tokens that start no value.</summary>
        public (string Path, long Offset)? Step(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    _pendingName = reader.GetString();
                    _pendingNameOffset = reader.TokenStartIndex;
                    return null;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    _containers.Pop();
                    if (reader.TokenType == JsonTokenType.EndArray)
                    {
                        _arrayIndex.Pop();
                    }
                    if (_path.Count > 0)
                    {
                        _path.RemoveAt(_path.Count - 1);
                    }
                    return null;
                default:
                    return Value(ref reader);
            }
        }

        private (string Path, long Offset) Value(ref Utf8JsonReader reader)
        {
            string segment;
            var at = reader.TokenStartIndex;
            if (_containers.Count == 0)
            {
                segment = "";
            }
            else if (_containers.Peek())
            {
                var idx = _arrayIndex.Pop();
                _arrayIndex.Push(idx + 1);
                segment = $"[{idx}]";
            }
            else
            {
                segment = "." + _pendingName;
                at = _pendingNameOffset;
            }
            var full = string.Concat(_path) + segment;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                if (_containers.Count > 0)
                {
                    _path.Add(segment);
                }
                _containers.Push(reader.TokenType == JsonTokenType.StartArray);
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    _arrayIndex.Push(0);
                }
            }
            return (full.Length == 0 ? "$" : "$" + full, at);
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
