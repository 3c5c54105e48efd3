// CsvSource reads a large file in chunks of whole records on several workers: what it sends — rows, their origins, dead
// letters and their order — is what one reader over the whole file sends.
using System.Text;
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Runtime;
using Etl.Sources;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources;

public sealed class CsvSourceChunkTests : IDisposable
{
    private const string Schema = """{ "id": "int64", "name": "string", "amount": "decimal(18,2)", "at": "timestamp", "note": "string" }""";

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Reads <paramref name="content"/> in chunks of <paramref name="chunkBytes"/> bytes of records
    /// (<see cref="int.MaxValue"/>: one reader over the whole file).</summary>
    private async Task<OrderedOutput> ReadAsync(byte[] content, int chunkBytes, string? schema = Schema, string options = "", string file = "in.csv")
    {
        _folder.WriteBytes(file, content);
        var source = $$"""{ "type": "csv", "path": {{_folder.Json(file)}}{{(options.Length == 0 ? "" : ", " + options)}} }""";
        var run = TestRun.Context(_folder, source, schema: schema);
        var output = new OrderedOutput();
        await new CsvSource((CsvSourceSpec)run.Spec.Spec.Source, run) { ChunkBytes = chunkBytes }.ReadAsync(output, CancellationToken.None);
        return output;
    }

    private async Task AssertChunksReadAsOneReaderAsync(byte[] content, int chunkBytes, string? schema = Schema, string options = "", string file = "in.csv")
    {
        var whole = await ReadAsync(content, int.MaxValue, schema, options, file);
        var chunked = await ReadAsync(content, chunkBytes, schema, options, file);

        Assert.Equal(whole.Rows, chunked.Rows);
        Assert.Equal(whole.Rejections, chunked.Rejections);
    }

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    /// <summary>Orders with quoted commas, doubled quotes, line breaks inside quotes (LF and CR LF), non-ASCII text
    /// and empty fields.</summary>
    private static string Orders(int count, string newline = "\n")
    {
        var text = new StringBuilder("id,name,amount,at,note" + newline);
        for (var i = 1; i <= count; i++)
        {
            var name = (i % 5) switch
            {
                0 => $"\"Café \"\"Le Monde\"\" #{i}\"",
                1 => $"\"Smith, Jones & Co #{i}\"",
                2 => $"東京商事 #{i}",
                3 => "",
                _ => $"Blue Harbor #{i}",
            };
            var note = (i % 7) switch
            {
                0 => $"\"two{newline}lines\"",
                1 => "\"one\r\nmore\"",
                2 => "",
                _ => $"note {i % 3}",
            };
            text.Append($"{i},{name},{i % 1000}.{i % 100:D2},2026-01-{1 + (i % 28):D2}T10:00:{i % 60:D2}Z,{note}{newline}");
        }
        return text.ToString();
    }

    [Theory]
    [InlineData(16)]
    [InlineData(100)]
    [InlineData(1000)]
    public async Task CsvSource_ManySmallChunks_SendsTheRowsOriginsAndDeadLettersOfOneReader(int chunkBytes)
    {
        await AssertChunksReadAsOneReaderAsync(Utf8(Orders(400)), chunkBytes);
    }

    [Fact]
    public async Task CsvSource_TrailingDelimitersOnDataLinesInChunks_ReadAsOneReaderDoes()
    {
        var rows = string.Concat(Enumerable.Range(1, 400).Select(i => i % 50 == 0 ? $"{i},n{i},{i}.50,2026-01-01T00:00:00Z,x,extra\n"
            : $"{i},n{i},{i}.50,2026-01-01T00:00:00Z,x,\n"));
        var content = Encoding.UTF8.GetBytes("id,name,amount,at,note\n" + rows);

        await AssertChunksReadAsOneReaderAsync(content, chunkBytes: 1000);
        var chunked = await ReadAsync(content, chunkBytes: 1000);
        Assert.Equal((392, 8), (chunked.Rows.Count, chunked.Rejections.Count));
    }

    [Fact]
    public async Task CsvSource_ManySmallChunks_ReadsEveryRowInFileOrder()
    {
        var output = await ReadAsync(Utf8(Orders(400)), chunkBytes: 100);

        Assert.Equal([.. Enumerable.Range(1, 400).Select(i => (long)i)], output.Records.Select(r => (long)r["id"]!));
    }

    [Fact]
    public async Task CsvSource_FileLargerThanAChunk_SendsEachChunksRowsInBatchesOfTheirOwn()
    {
        var whole = await ReadAsync(Utf8(Orders(400)), chunkBytes: int.MaxValue);
        var chunked = await ReadAsync(Utf8(Orders(400)), chunkBytes: 1000);

        Assert.Equal(1, whole.Batches);
        Assert.InRange(chunked.Batches, 400 * 60 / 1000 / 2, 400 * 60 / 1000 * 2);
    }

    [Fact]
    public async Task CsvSource_ChunkOfMoreRowsThanABatch_ItsLastBatchHasRoomForAboutItsRowsOnly()
    {
        // Rows of 16 bytes: a chunk of 4000 bytes holds 250 of them, two batches of 100 and one of about 50.
        _folder.WriteBytes("in.csv", Utf8("id,code\n" + string.Concat(Enumerable.Range(100_000, 2000).Select(i => $"{i},abcdefghi\n"))));
        var run = TestRun.Context(_folder, $$"""{ "type": "csv", "path": {{_folder.Json("in.csv")}} }""", schema: """{ "id": "int64", "code": "string" }""");
        var output = new BatchingOutput(100);

        await new CsvSource((CsvSourceSpec)run.Spec.Spec.Source, run) { ChunkBytes = 4000 }.ReadAsync(output, CancellationToken.None);

        var rests = output.Batches.Where(b => b.RowCount < 100).ToList();
        Assert.NotEmpty(rests);
        Assert.All(rests, b => Assert.InRange(((TypedColumn<long>)b.Columns[0]).Values.Length, b.RowCount, (b.RowCount * 3 / 2) + 2));
    }

    [Fact]
    public async Task CsvSource_RecordsWiderThanMaxSplitRecordBytes_AreReadByOneReader()
    {
        var wide = string.Join(',', Enumerable.Range(0, 200).Select(i => $"c{i}"));
        var row = string.Join(',', Enumerable.Range(0, 200).Select(i => $"value{i}"));
        Assert.True(row.Length > CsvSource.MaxSplitRecordBytes);

        var output = await ReadAsync(Utf8(wide + "\n" + string.Concat(Enumerable.Repeat(row + "\n", 50))), chunkBytes: 1000, schema: null);

        Assert.Equal(1, output.Batches);
        Assert.Equal(50, output.Rows.Count);
    }

    [Fact]
    public async Task CsvSource_ManySmallChunks_OriginsNameTheLineEachRowStartsOn()
    {
        var output = await ReadAsync(Utf8("id,note\n1,\"a\nb\"\n2,c\n\n3,\"d\r\ne\r\nf\"\n4,g\n"), chunkBytes: 8, schema: null);

        Assert.Equal([.. new[] { 2, 4, 6, 9 }.Select(line => $"{_folder.PathOf("in.csv")}:{line}")], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task CsvSource_CrLfLineEndsInChunks_SendsTheRowsOfOneReader()
    {
        await AssertChunksReadAsOneReaderAsync(Utf8(Orders(300, "\r\n")), chunkBytes: 64);
    }

    [Fact]
    public async Task CsvSource_BadValuesInChunks_AreDeadLetteredWithTheirFileAndLine()
    {
        var output = await ReadAsync(Utf8("id,name,amount,at,note\n1,a,1.00,,\"x\ny\"\n2,b,oops,,\n3,c,3.00,,\n"), chunkBytes: 16);

        Assert.Equal([new Rejection($"{_folder.PathOf("in.csv")}:4", "column 'amount': \"oops\" is not a decimal(18,2)", "2,b,oops,,", "amount", "oops")], output.Rejections);
    }

    [Fact]
    public async Task CsvSource_BadValuesInChunks_AreDeadLetteredInLineOrder()
    {
        var content = new StringBuilder("id,name,amount,at,note\n");
        for (var i = 1; i <= 300; i++)
        {
            content.Append(i % 17 == 0 ? $"{i},x,bad,,\n" : $"{i},x,{i}.00,,\n");
        }

        var output = await ReadAsync(Utf8(content.ToString()), chunkBytes: 64);

        Assert.Equal([.. Enumerable.Range(1, 300 / 17).Select(k => (long)(17 * k) + 1)], output.Rejections.Select(r => LineOf(r.Origin)));
    }

    [Fact]
    public async Task CsvSource_WrongFieldCountsInChunks_AreDeadLetteredAsByOneReader()
    {
        var content = Orders(200).Replace("\n17,", "\n17,extra,", StringComparison.Ordinal).Replace("\n99,", "\n99\n", StringComparison.Ordinal);

        await AssertChunksReadAsOneReaderAsync(Utf8(content), chunkBytes: 50);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("true")]
    public async Task CsvSource_StrayQuoteInAnUnquotedField_ReadsTheRestAsOneReaderDoes(string strict)
    {
        var content = Orders(300).Replace("\n150,", "\n150,37°36'37.8\"N ", StringComparison.Ordinal);

        await AssertChunksReadAsOneReaderAsync(Utf8(content), chunkBytes: 50, options: $"\"strict\": {strict}");
    }

    [Fact]
    public async Task CsvSource_TextAfterAClosingQuote_ReadsTheRestAsOneReaderDoes()
    {
        var content = Orders(300).Replace("\n120,", "\n120,\"quoted\"tail ", StringComparison.Ordinal);

        await AssertChunksReadAsOneReaderAsync(Utf8(content), chunkBytes: 50);
    }

    [Fact]
    public async Task CsvSource_UnclosedQuote_ReadsTheRestAsOneReaderDoes()
    {
        var content = Orders(200) + "201,\"never closed,1.00,,\n202,b,2.00,,\n";

        await AssertChunksReadAsOneReaderAsync(Utf8(content), chunkBytes: 50);
    }

    [Fact]
    public async Task CsvSource_LoneCarriageReturn_ReadsTheRestAsOneReaderDoes()
    {
        var content = Orders(200).Replace("\n60,", "\r60,", StringComparison.Ordinal);

        await AssertChunksReadAsOneReaderAsync(Utf8(content), chunkBytes: 50);
    }

    [Fact]
    public async Task CsvSource_RecordLongerThanManyChunks_ReadsTheRestAsOneReaderDoes()
    {
        var content = Orders(100) + $"101,\"{new string('x', 5000)}\",1.00,,\n" + string.Concat(Enumerable.Range(102, 50).Select(i => $"{i},b,2.00,,\n"));

        await AssertChunksReadAsOneReaderAsync(Utf8(content), chunkBytes: 16);
    }

    [Fact]
    public async Task CsvSource_GzipFileInChunks_SendsTheRowsOfOneReader()
    {
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Utf8(Orders(300)));
        }

        await AssertChunksReadAsOneReaderAsync(packed.ToArray(), chunkBytes: 50, file: "in.csv.gz");
    }

    [Fact]
    public async Task CsvSource_Utf16FileWithByteOrderMark_SendsTheRowsOfOneReader()
    {
        await AssertChunksReadAsOneReaderAsync([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Orders(200))], chunkBytes: 50,
            options: "\"encoding\": \"utf-16\"");
    }

    [Fact]
    public async Task CsvSource_Utf8ByteOrderMarkAndInvalidBytes_SendsTheRowsAndDeadLettersOfOneReader()
    {
        var content = Utf8(Orders(200));
        var at = Array.IndexOf(content, (byte)'B', 500); // the B of a "Blue Harbor" past the first chunks
        content[at] = 0xFF;

        await AssertChunksReadAsOneReaderAsync([0xEF, 0xBB, 0xBF, .. content], chunkBytes: 50);
    }

    [Fact]
    public async Task CsvSource_InferredTypesInChunks_AreTheTypesOfTheSample()
    {
        var output = await ReadAsync(Utf8(Orders(300)), chunkBytes: 50, schema: null, options: "\"sampleRows\": 20");

        var expected = await ReadAsync(Utf8(Orders(300)), chunkBytes: int.MaxValue, schema: null, options: "\"sampleRows\": 20");
        Assert.Equal(expected.Rows, output.Rows);
        Assert.Equal(expected.Rejections, output.Rejections);
    }

    [Fact]
    public async Task CsvSource_SeededRandomFiles_ChunksSendWhatOneReaderSends()
    {
        const int seed = 20261202;
        var random = new Random(seed);
        string[] pieces = ["a", "b,c", "\"q\"", "\"x,y\"", "\"l\nm\"", "\"e\"\"f\"", "", "7", "1.5", "é", "\"", "x\"y", "\r\n", "\n", ",", "\r"];
        for (var file = 0; file < 40; file++)
        {
            var content = new StringBuilder("id,name,amount,at,note\n");
            for (var row = 0; row < 60; row++)
            {
                content.Append(row).Append(',');
                for (var p = random.Next(1, 8); p > 0; p--)
                {
                    content.Append(pieces[random.Next(pieces.Length)]);
                }
                content.Append('\n');
            }
            var chunkBytes = random.Next(8, 200);
            try
            {
                await AssertChunksReadAsOneReaderAsync(Utf8(content.ToString()), chunkBytes, schema: """{ "id": "int64" }""");
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed}, file {file}, chunkBytes {chunkBytes}:\n{content}\n{e.Message}");
            }
        }
    }

    /// <summary>The rows and dead letters a source sends, in the order they came.</summary>
    private sealed class OrderedOutput : ISourceOutput
    {
        /// <summary>Every row as text that names its values, types and origin.</summary>
        public List<string> Rows { get; } = [];

        public List<Record> Records { get; } = [];

        public List<Rejection> Rejections { get; } = [];

        public ValueTask SendAsync(Record record, CancellationToken cancellationToken)
        {
            Add(record);
            return ValueTask.CompletedTask;
        }

        public int Batches { get; private set; }

        public ValueTask SendBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
        {
            Batches++;
            foreach (var record in batch.ToRecords())
            {
                Add(record);
            }
            return ValueTask.CompletedTask;
        }

        private void Add(Record record)
        {
            Rows.Add(RecordText.Of(record));
            Records.Add(record);
        }

        public void Reject(string origin, string reason, string? raw)
        {
            Rejections.Add(new Rejection(origin, reason, raw));
        }

        public void RejectValue(string origin, string column, string? value, string reason, string? raw)
        {
            Rejections.Add(new Rejection(origin, reason, raw, column, value));
        }

        public void RejectRequest(DeadLetter letter) => throw new InvalidOperationException("a file source made a request");
    }

    private static long LineOf(string origin) => long.Parse(origin[(origin.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
