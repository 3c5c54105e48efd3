// Finds a key written twice in one JSON object of a spec, with its line and JSON path: the last one would silently win.
using System.Text;
using System.Text.Json;

namespace Etl.Spec;

internal static class DuplicateKeys
{
    /// <summary>The first repeated key (its line, column and JSON path), or null when every object's keys are unique.
    /// The text must be valid JSON (with comments and trailing commas).</summary>
    public static SpecError? Find(string text, string file)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var keys = new Stack<HashSet<string>>();
        var path = new Stack<string>();
        var pendingName = "$";
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    path.Push(pendingName);
                    keys.Push(reader.TokenType == JsonTokenType.StartObject ? new HashSet<string>(StringComparer.Ordinal) : []);
                    pendingName = reader.TokenType == JsonTokenType.StartArray ? pendingName + "[]" : pendingName;
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    keys.Pop();
                    pendingName = path.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    var name = reader.GetString()!;
                    var at = $"{path.Peek()}.{name}";
                    if (!keys.Peek().Add(name))
                    {
                        var (line, column) = Position(bytes, (int)reader.TokenStartIndex);
                        return new SpecError(file, line, column, at, $"duplicate key \"{name}\": each key may appear once in an object (the last one would silently win)");
                    }
                    pendingName = at;
                    break;
                default:
                    // A scalar value: the next name starts from the object again.
                    pendingName = path.Count > 0 ? path.Peek() : "$";
                    break;
            }
        }
        return null;
    }

    private static (int Line, int Column) Position(byte[] bytes, int offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, Encoding.UTF8.GetCharCount(bytes, lineStart, offset - lineStart) + 1);
    }
}
