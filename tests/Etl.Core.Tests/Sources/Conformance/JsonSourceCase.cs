// The JSON source under the conformance suite: one array of objects per file; array positions are origins.
using System.Text;
using System.Text.Json;

namespace Etl.Core.Tests.Sources.Conformance;

public sealed class JsonSourceCase : IRejectingSourceCase
{
    public string Type => "json";

    public string Extension => ".json";

    public string Source(string path) => $$"""{ "type": "json", "path": {{JsonSerializer.Serialize(path)}} }""";

    public Task WriteAsync(string file, IReadOnlyList<SampleRow> rows) => WriteItemsAsync(file, rows.Select(Item));

    public string OriginOf(string file, int index) => $"{file}:[{index}]";

    // An array element that is not an object is the JSON source's malformed record.
    public async Task<ExpectedRejection> WriteWithBadRecordAsync(string file, IReadOnlyList<SampleRow> rows)
    {
        await WriteItemsAsync(file, [Item(rows[0]), "42", .. rows.Skip(1).Select(Item)]);
        return new ExpectedRejection($"{file}:[1]", "42");
    }

    private static string Item(SampleRow row) => JsonSerializer.Serialize(new { id = row.Id, name = row.Name });

    private static Task WriteItemsAsync(string file, IEnumerable<string> items)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return File.WriteAllTextAsync(file, "[" + string.Join(",\n", items) + "]", new UTF8Encoding(false));
    }
}
