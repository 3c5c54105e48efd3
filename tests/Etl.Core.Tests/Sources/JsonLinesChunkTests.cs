// JsonLinesSource reads line-aligned chunks on several workers: what it sends is what one line at a time would give.
using System.Text;
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Sources;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources;

public sealed class JsonLinesChunkTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Input => _folder.PathOf("in.jsonl");

    /// <summary>Reads <paramref name="content"/> in chunks of about <paramref name="chunkBytes"/> bytes.</summary>
    private async Task<BatchCollectingOutput> ReadAsync(byte[] content, int chunkBytes, int batchRows = 4096)
    {
        _folder.WriteBytes("in.jsonl", content);
        var run = TestRun.Context(_folder, $$"""{ "type": "jsonl", "path": {{_folder.Json("in.jsonl")}} }""");
        var output = new BatchCollectingOutput { BatchRows = batchRows };
        await new JsonLinesSource((JsonLinesSourceSpec)run.Spec.Spec.Source, run) { ChunkBytes = chunkBytes }.ReadAsync(output, CancellationToken.None);
        return output;
    }

    /// <summary>What the record path makes of each line: RecordJson.Parse, with the line's origin.</summary>
    private List<string> ParsedLineByLine(byte[] content)
    {
        var lines = Encoding.UTF8.GetString(content).Split('\n');
        var expected = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim(' ').Length > 0 && RecordJson.Parse(Encoding.UTF8.GetBytes(line)) is Record r)
            {
                r.SetOrigin(Input, i + 1);
                expected.Add(RecordText.Of(r));
            }
        }
        return expected;
    }

    private static byte[] Orders(int count, string newline = "\n") => RecordText.Lines(Enumerable.Range(1, count).Select(i =>
        $$"""{"id": {{i}}, "name": "Zoë #{{i}} 東京", "customer": {"name": "c{{i % 7}}", "vip": {{(i % 2 == 0 ? "true" : "false")}}}, "items": [{"sku": "S{{i}}", "qty": {{i % 3}}, "price": {{(i % 4 == 0 ? "2" : "2.5")}}}]}"""), newline);

    [Fact]
    public async Task JsonLinesSource_ManySmallChunks_KeepsLineOrderAndOrigins()
    {
        var content = Orders(500);

        var output = await ReadAsync(content, chunkBytes: 300);

        Assert.Equal(ParsedLineByLine(content), output.Records.Select(RecordText.Of));
    }

    [Fact]
    public async Task JsonLinesSource_ManySmallChunks_SendsColumnBatches()
    {
        var output = await ReadAsync(Orders(500), chunkBytes: 8192);

        Assert.Contains(output.Batches, b => !b.IsRecords);
    }

    [Fact]
    public async Task JsonLinesSource_BadLineInTheMiddleOfAChunk_IsRejectedWithItsLineAndTheRestIsRead()
    {
        var lines = Enumerable.Range(1, 100).Select(i => $$"""{"id": {{i}}}""").ToList();
        lines[49] = """{"id": 50, "name": """;

        var output = await ReadAsync(RecordText.Lines(lines), chunkBytes: 4096);

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal(($"{Input}:50", lines[49]), (rejection.Origin, rejection.Raw));
        Assert.Equal([.. Enumerable.Range(1, 100).Where(i => i != 50).Select(i => (object)(long)i)], output.Records.Select(r => r["id"]));
    }

    [Fact]
    public async Task JsonLinesSource_BadLineInAChunk_IsRejectedWithTheRecordPathsReason()
    {
        const string Bad = """{"id": 50, "name": """;
        var expected = "invalid JSON: " + Assert.ThrowsAny<System.Text.Json.JsonException>(() => RecordJson.Parse(Encoding.UTF8.GetBytes(Bad))).Message;

        var output = await ReadAsync(RecordText.Lines(["""{"id": 1}""", Bad, """{"id": 2}"""]), chunkBytes: 4096);

        Assert.Equal(expected, Assert.Single(output.Rejections).Reason);
    }

    [Fact]
    public async Task JsonLinesSource_ChunkBoundaryInsideAMultiByteCharacter_KeepsTheText()
    {
        // Reads of 64 bytes: the first ends after the first byte of "é" (bytes 63 and 64), which goes on with the rest of
        // its line into the next chunk.
        var line = $$"""{"id": 2, "text": "{{new string('a', 34)}}é東京"}""";
        var content = RecordText.Lines(["""{"id": 1}""", line, line]);

        var output = await ReadAsync(content, chunkBytes: 64);

        Assert.Equal(ParsedLineByLine(content), output.Records.Select(RecordText.Of));
    }

    [Fact]
    public async Task JsonLinesSource_CrLfLinesAcrossChunks_ReadsEveryLine()
    {
        var content = Orders(200, "\r\n");

        var output = await ReadAsync(content, chunkBytes: 500);

        Assert.Equal(ParsedLineByLine(content), output.Records.Select(RecordText.Of));
    }

    [Fact]
    public async Task JsonLinesSource_LineLongerThanAChunk_IsReadWhole()
    {
        var content = RecordText.Lines(["""{"id": 1}""", $$"""{"id": 2, "text": "{{new string('x', 5000)}}"}""", """{"id": 3}"""]);

        var output = await ReadAsync(content, chunkBytes: 64);

        Assert.Equal(ParsedLineByLine(content), output.Records.Select(RecordText.Of));
    }

    [Fact]
    public async Task JsonLinesSource_ShapesThatChange_KeepEveryFieldOfEveryLine()
    {
        var content = RecordText.Lines(Enumerable.Range(1, 300).Select(i => i % 50 < 40
            ? $$"""{"id": {{i}}, "v": {{(i % 3 == 0 ? "null" : i % 3 == 1 ? "[1, {\"a\": 2}]" : "\"s\"")}}}"""
            : $$"""{"v": {{i}}, "id": {{i}}, "id": "dup"}"""));

        var output = await ReadAsync(content, chunkBytes: 2048);

        Assert.Equal(ParsedLineByLine(content), output.Records.Select(RecordText.Of));
    }

    [Fact]
    public async Task JsonLinesSource_BatchRows_BoundsEveryBatch()
    {
        var output = await ReadAsync(Orders(300), chunkBytes: 1 << 20, batchRows: 64);

        Assert.All(output.Batches, b => Assert.InRange(b.RowCount, 1, 64));
    }

    [Fact]
    public async Task JsonLinesSource_BlankLinesAndNoFinalBreak_CountLinesAsTheRecordPathDoes()
    {
        var content = Encoding.UTF8.GetBytes("{\"id\": 1}\n\n   \r\n{\"id\": 2}\n[1]\n{\"id\": 3}");

        var output = await ReadAsync(content, chunkBytes: 16);

        Assert.Equal([$"{Input}:1", $"{Input}:4", $"{Input}:6"], output.Records.Select(r => r.Origin));
        Assert.Equal($"{Input}:5", Assert.Single(output.Rejections).Origin);
    }

    [Fact]
    public async Task JsonLinesSource_CorruptGzipFile_FailsWithTheDecompressorsError()
    {
        _folder.WriteBytes("in.jsonl.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);
        var run = TestRun.Context(_folder, $$"""{ "type": "jsonl", "path": {{_folder.Json("in.jsonl.gz")}} }""");

        var read = new JsonLinesSource((JsonLinesSourceSpec)run.Spec.Spec.Source, run).ReadAsync(new BatchCollectingOutput(), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidDataException>(() => read);
    }

    [Fact]
    public async Task JsonLinesSource_OutputThatFails_StopsReadingWithItsError()
    {
        _folder.WriteBytes("in.jsonl", Orders(2000));
        var run = TestRun.Context(_folder, $$"""{ "type": "jsonl", "path": {{_folder.Json("in.jsonl")}} }""");
        var output = new CollectingOutput { OnRecord = r => throw new InvalidOperationException("mesh stopped at " + r.Origin) };

        var read = new JsonLinesSource((JsonLinesSourceSpec)run.Spec.Spec.Source, run) { ChunkBytes = 256 }.ReadAsync(output, CancellationToken.None);

        Assert.Equal($"mesh stopped at {Input}:1", (await Assert.ThrowsAsync<InvalidOperationException>(() => read)).Message);
    }

    [Fact]
    public async Task JsonLinesSource_EscapedAndSimilarNames_ReadAsTheRecordPathReadsThem()
    {
        var content = RecordText.Lines(Enumerable.Range(1, 200).Select(i => (i % 4) switch
        {
            0 => $$"""{"name": {{i}}, "x": 1}""",
            1 => $$"""{"n\u0061me": {{i}}, "x": 2}""",
            2 => $$"""{"nam": {{i}}, "x": 3}""",
            _ => $$"""{"x": {{i}}, "name": 4}""",
        }));

        var output = await ReadAsync(content, chunkBytes: 1024);

        Assert.Equal(ParsedLineByLine(content), output.Records.Select(RecordText.Of));
    }

    /// <summary>A line with a field of every scalar kind, fields mixing kinds, nested values and nulls.</summary>
    private static string EveryKind(int i)
    {
        var mix = (i % 4) switch { 0 => "1", 1 => "1.5", 2 => "\"x\"", _ => "null" };
        var nest = (i % 3) switch { 0 => "7", 1 => "{\"a\": [1]}", _ => "null" };
        var late = i < 100 ? "null" : "true";
        var flag = i % 2 == 0 ? "true" : "false";
        return $$"""{"l": {{i}}, "d": {{i}}.5, "big": 1{{i}}000000000000000000000, "b": {{flag}}, "n": null, "s": "r{{i % 3}}", "t": "2026-01-01T00:00:{{i:000}}Z \u00e9\\n", "mix": {{mix}}, "nest": {{nest}}, "late": {{late}}}""";
    }

    [Fact]
    public async Task JsonLinesSource_EveryScalarKind_ReadAsTheRecordPathReadsThem()
    {
        var content = RecordText.Lines(Enumerable.Range(1, 400).Select(EveryKind));

        var output = await ReadAsync(content, chunkBytes: 16384);

        Assert.Equal(ParsedLineByLine(content), output.Records.Select(RecordText.Of));
    }

    [Fact]
    public async Task JsonLinesSource_FieldsOfOneScalarKind_AreTypedColumns()
    {
        var content = RecordText.Lines(Enumerable.Range(1, 100).Select(i => $$"""{"l": {{i}}, "d": {{i}}.5, "b": true, "s": "v{{i}}", "n": null}"""));

        var batch = Assert.Single((await ReadAsync(content, chunkBytes: 1 << 16)).Batches);

        Assert.Equal([typeof(TypedColumn<long>), typeof(TypedColumn<double>), typeof(TypedColumn<bool>), typeof(StringColumn), typeof(ValueColumn)],
            batch.Columns.Select(c => c.GetType()));
    }
}
