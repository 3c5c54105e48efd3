// The CSV source under the conformance suite: a header line, then one line per row; line numbers are origins.
using System.Text;
using System.Text.Json;

namespace Etl.Core.Tests.Sources.Conformance;

public sealed class CsvSourceCase : IRejectingSourceCase
{
    public string Type => "csv";

    public string Extension => ".csv";

    public string Source(string path) => $$"""{ "type": "csv", "path": {{JsonSerializer.Serialize(path)}} }""";

    public Task WriteAsync(string file, IReadOnlyList<SampleRow> rows) => WriteLinesAsync(file, rows.Select(Line));

    // Line 1 is the header, so the record at index i is on line i + 2.
    public string OriginOf(string file, int index) => $"{file}:{index + 2}";

    public async Task<ExpectedRejection> WriteWithBadRecordAsync(string file, IReadOnlyList<SampleRow> rows)
    {
        const string Bad = "9,extra,field";
        await WriteLinesAsync(file, [Line(rows[0]), Bad, .. rows.Skip(1).Select(Line)]);
        return new ExpectedRejection($"{file}:3", Bad);
    }

    private static string Line(SampleRow row) => $"{row.Id},{row.Name}";

    private static Task WriteLinesAsync(string file, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return File.WriteAllTextAsync(file, string.Concat(new[] { "id,name" }.Concat(lines).Select(l => l + "\n")), new UTF8Encoding(false));
    }
}
