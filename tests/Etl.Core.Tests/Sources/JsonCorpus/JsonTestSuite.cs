// The nst/JSONTestSuite corpus (Fixtures/JSONTestSuite): its files by name, what each must give, and the values
// System.Text.Json reads from it, in Etl's value model (long, exact decimal for a larger integer, else double).
using System.Text;
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.Spec;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.JsonCorpus;

/// <summary>What a reader must do with a corpus text: y_ accept, n_ reject, i_ either (the suite leaves it open).</summary>
public enum Verdict { Accept, Reject, Either }

public static class JsonTestSuite
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Sources", "Fixtures", "JSONTestSuite");

    private static readonly string[] Parts = ["test_parsing", "test_transform"];

    /// <summary>Every y_, n_ and i_ file of test_parsing and every file of test_transform (numbers at the edges of
    /// long and double, repeated names, invalid code points), by name.</summary>
    public static TheoryData<string> Files =>
        [.. Parts.SelectMany(p => Directory.EnumerateFiles(Path.Combine(Folder, p), "*.json")).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static byte[] Bytes(string name) =>
        File.ReadAllBytes(Parts.Select(p => Path.Combine(Folder, p, name)).First(File.Exists));

    public static Verdict VerdictOf(string name) =>
        name.StartsWith("y_", StringComparison.Ordinal) ? Verdict.Accept
        : name.StartsWith("n_", StringComparison.Ordinal) ? Verdict.Reject
        : Verdict.Either;

    /// <summary>One run's context for every case (parsing a spec per case would cost more than reading the case);
    /// the sources read into collecting outputs, so its dead-letter folder stays unwritten.</summary>
    public static RunContext Run { get; } = TestRun.Context(
        SpecLoader.Parse(RunSpec, Path.Combine(Path.GetTempPath(), "etl-json-corpus.json")), Path.Combine(Path.GetTempPath(), "etl-json-corpus-unused"));

    private const string RunSpec = """
        { "name": "corpus", "source": { "type": "jsonl", "path": "unused.jsonl" }, "sinks": [ { "type": "csv", "path": "unused" } ] }
        """;

    /// <summary>The text's value as System.Text.Json reads it (strictly: no comments, no trailing commas, depth 64),
    /// in Etl's value model; false when it does not read it (invalid JSON, text that does not decode, a number beyond
    /// a double).</summary>
    public static bool TryRead(byte[] text, out object? value)
    {
        value = null;
        if (!IsUtf8(text))
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            value = Value(document.RootElement);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The text without a UTF-8 byte order mark at its start, which Etl's readers skip before a document.</summary>
    public static byte[] WithoutByteOrderMark(byte[] text) => text.AsSpan().StartsWith("\uFEFF"u8) ? text[3..] : text;

    private static bool IsUtf8(byte[] text)
    {
        try
        {
            _ = new UTF8Encoding(false, true).GetString(text);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Object(element),
        JsonValueKind.Array => element.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => Number(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    // A repeated name keeps its first place and takes its last value, as Etl (and most JSON readers) read it.
    private static Record Object(JsonElement element)
    {
        var names = new List<string>();
        var values = new List<object?>();
        foreach (var property in element.EnumerateObject())
        {
            var at = names.IndexOf(property.Name);
            if (at >= 0)
            {
                values[at] = Value(property.Value);
                continue;
            }
            names.Add(property.Name);
            values.Add(Value(property.Value));
        }
        return new Record([.. names], [.. values]);
    }

    private static object Number(JsonElement element)
    {
        if (element.TryGetInt64(out var l))
        {
            return l;
        }
        if (element.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0 && element.TryGetDecimal(out var whole))
        {
            return whole;
        }
        return element.GetDouble();
    }

    /// <summary>The value as text naming every type, so two values compare equal exactly when they are the same.</summary>
    public static string Text(object? value) => RecordText.Value(value);

    /// <summary>The text on one line: a valid text's line breaks are whitespace between tokens, so they become spaces;
    /// any other text keeps them (and spans several lines).</summary>
    public static byte[][] Lines(byte[] text, bool valid) => valid
        ? [[.. text.Select(b => b is (byte)'\n' or (byte)'\r' ? (byte)' ' : b)]]
        : [.. Split(text)];

    private static IEnumerable<byte[]> Split(byte[] text)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '\n')
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
    }

    /// <summary>Whether the JSON Lines source skips the line as blank rather than reading it.</summary>
    public static bool IsBlank(byte[] line) => line.AsSpan().TrimEnd((byte)'\r').Trim((byte)' ').IsEmpty;

    /// <summary><c>{"v": X, "o": {"v": X}, "a": [{"v": X}]}</c>: the text as a top-level field, a field of an object and
    /// of an array's object, which is valid JSON exactly when the text is.</summary>
    public static byte[] Wrapped(byte[] text) =>
        [.. "{\"v\": "u8, .. text, .. ", \"o\": {\"v\": "u8, .. text, .. "}, \"a\": [{\"v\": "u8, .. text, .. "}]}"u8];
}
