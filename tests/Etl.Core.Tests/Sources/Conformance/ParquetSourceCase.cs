// The Parquet source under the conformance suite: one row group of (id int64, name string); row numbers are origins.
using System.Text.Json;
using Parquet;
using Parquet.Schema;

namespace Etl.Core.Tests.Sources.Conformance;

public sealed class ParquetSourceCase : ISourceCase
{
    public string Type => "parquet";

    public string Extension => ".parquet";

    public string Source(string path) => $$"""{ "type": "parquet", "path": {{JsonSerializer.Serialize(path)}} }""";

    public async Task WriteAsync(string file, IReadOnlyList<SampleRow> rows)
    {
        var id = new DataField<long>("id");
        var name = new DataField<string>("name");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await using var stream = File.Create(file);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, name), stream);
        // An empty input is a file with a schema and no row group, as writers leave it when they get no rows.
        if (rows.Count > 0)
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(id, rows.Select(r => r.Id).ToArray().AsMemory());
            await group.WriteAsync(name, rows.Select(r => r.Name).ToArray(), null);
            group.CompleteValidate();
        }
    }

    public string OriginOf(string file, int index) => $"{file}:row {index + 1}";
}
