// The JSON Lines source under the conformance suite: one object per line; line numbers are origins.
using System.Text;
using System.Text.Json;

namespace Etl.Core.Tests.Sources.Conformance;

public sealed class JsonLinesSourceCase : IRejectingSourceCase
{
    public string Type => "jsonl";

    public string Extension => ".jsonl";

    public string Source(string path) => $$"""{ "type": "jsonl", "path": {{JsonSerializer.Serialize(path)}} }""";

    public Task WriteAsync(string file, IReadOnlyList<SampleRow> rows) => WriteLinesAsync(file, rows.Select(Line));

    public string OriginOf(string file, int index) => $"{file}:{index + 1}";

    public async Task<ExpectedRejection> WriteWithBadRecordAsync(string file, IReadOnlyList<SampleRow> rows)
    {
        const string Bad = """{"id": 9, "name": """;
        await WriteLinesAsync(file, [Line(rows[0]), Bad, .. rows.Skip(1).Select(Line)]);
        return new ExpectedRejection($"{file}:2", Bad);
    }

    private static string Line(SampleRow row) => JsonSerializer.Serialize(new { id = row.Id, name = row.Name });

    private static Task WriteLinesAsync(string file, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return File.WriteAllTextAsync(file, string.Concat(lines.Select(l => l + "\n")), new UTF8Encoding(false));
    }
}
