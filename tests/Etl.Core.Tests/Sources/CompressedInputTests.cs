// The csv, jsonl and json sources read gzip and zstd files as the plain files they hold: same rows, types, origins and
// dead letters; a damaged or cut-short file fails naming it, never reads short.
using System.IO.Compression;
using System.Text;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Runtime;
using Etl.Sources;
using Etl.Spec;

namespace Etl.Core.Tests.Sources;

public sealed class CompressedInputTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);

    /// <summary>The file ending and compressor of each codec the sources read.</summary>
    public static TheoryData<string> Endings => [".gz", ".gzip", ".zst", ".zstd"];

    private static byte[] Compress(string ending, byte[] data) => ending is ".gz" or ".gzip" ? Compressed.Gzip(data) : Compressed.Zstd(data);

    private static string Csv(int rows, int badAt = -1) =>
        "id,name,amount\n" + string.Concat(Enumerable.Range(1, rows).Select(i => $"{i},\"n, {i % 13}\",{(i == badAt ? "x" : $"{i}.25")}\n"));

    private static string JsonLines(int rows, int badAt = -1) =>
        string.Concat(Enumerable.Range(1, rows).Select(i => i == badAt ? "{broken\n" : $$"""{"id": {{i}}, "tags": ["a", {{i}}]}""" + "\n"));

    private static string JsonArray(int rows) =>
        "{\"data\": [" + string.Join(",", Enumerable.Range(1, rows).Select(i => $$"""{"id": {{i}}, "note": "{{new string('x', i % 50)}}"}""")) + "]}";

    private async Task<CollectingOutput> ReadAsync(string type, string file, string options = "", int? chunkBytes = null, string? schema = null)
    {
        var source = $$"""{ "type": "{{type}}", "path": {{_folder.Json(file)}}{{(options.Length == 0 ? "" : ", " + options)}} }""";
        var run = TestRun.Context(_folder, source, schema: schema);
        ISource reader = (type, chunkBytes) switch
        {
            ("csv", { } bytes) => new CsvSource((CsvSourceSpec)run.Spec.Spec.Source, run) { ChunkBytes = bytes },
            ("jsonl", { } bytes) => new JsonLinesSource((JsonLinesSourceSpec)run.Spec.Spec.Source, run) { ChunkBytes = bytes },
            _ => TestRun.Source(run),
        };
        var output = new CollectingOutput();
        await reader.ReadAsync(output, CancellationToken.None);
        return output;
    }

    /// <summary>Every record as text with its origin, and every rejection.</summary>
    private static (List<string> Rows, List<Rejection> Rejections) Seen(CollectingOutput output, string plainFile, string file) =>
        ([.. output.Records.Select(r => RecordText.Of(r).Replace(file, plainFile, StringComparison.Ordinal))],
         [.. output.Rejections.Select(r => r with { Origin = r.Origin.Replace(file, plainFile, StringComparison.Ordinal) })]);

    private async Task AssertReadsAsPlainAsync(string type, string plainName, byte[] plain, string ending, int? chunkBytes = null)
    {
        _folder.WriteBytes(plainName, plain);
        _folder.WriteBytes(plainName + ending, Compress(ending, plain));

        var expected = Seen(await ReadAsync(type, plainName, chunkBytes: chunkBytes), _folder.PathOf(plainName), _folder.PathOf(plainName));
        var actual = Seen(await ReadAsync(type, plainName + ending, chunkBytes: chunkBytes), _folder.PathOf(plainName), _folder.PathOf(plainName + ending));

        Assert.NotEmpty(expected.Rows);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Equal(expected.Rejections, actual.Rejections);
    }

    [Theory]
    [MemberData(nameof(Endings))]
    public Task CsvSource_CompressedFile_ReadsTheRowsTypesAndDeadLettersOfThePlainFile(string ending) =>
        AssertReadsAsPlainAsync("csv", "in.csv", Utf8(Csv(50, badAt: 7)), ending);

    [Theory]
    [MemberData(nameof(Endings))]
    public Task JsonLinesSource_CompressedFile_ReadsTheRecordsAndDeadLettersOfThePlainFile(string ending) =>
        AssertReadsAsPlainAsync("jsonl", "in.jsonl", Utf8(JsonLines(50, badAt: 9)), ending);

    [Theory]
    [MemberData(nameof(Endings))]
    public Task JsonSource_CompressedFile_ReadsTheRecordsOfThePlainFile(string ending) =>
        AssertReadsAsPlainAsync("json", "in.json", Utf8("[" + string.Join(",", Enumerable.Range(1, 50).Select(i => $$"""{"id": {{i}}}""")) + ", 7]"), ending);

    [Theory]
    [InlineData(".gz")]
    [InlineData(".zst")]
    public Task CsvSource_CompressedFileOfManyChunks_ReadsTheRowsOfThePlainFile(string ending) =>
        AssertReadsAsPlainAsync("csv", "in.csv", Utf8(Csv(3000, badAt: 2500)), ending, chunkBytes: 4096);

    [Theory]
    [InlineData(".gz")]
    [InlineData(".zst")]
    public Task JsonLinesSource_CompressedFileOfManyChunks_ReadsTheRecordsOfThePlainFile(string ending) =>
        AssertReadsAsPlainAsync("jsonl", "in.jsonl", Utf8(JsonLines(3000, badAt: 2500)), ending, chunkBytes: 4096);

    [Theory]
    [InlineData(".gz")]
    [InlineData(".zst")]
    public async Task JsonSource_CompressedFileLargerThanItsBuffer_StreamsEveryRecord(string ending)
    {
        _folder.WriteBytes("in.json" + ending, Compress(ending, Utf8(JsonArray(20_000)))); // ≈ 0.8 MB: several buffers

        var output = await ReadAsync("json", "in.json" + ending, "\"recordPath\": \"data\"");

        Assert.Equal(Enumerable.Range(1, 20_000).Select(i => (object?)(long)i), output.Values("id"));
        Assert.Equal($"{_folder.PathOf("in.json" + ending)}:data[19999]", output.Records[^1].Origin);
    }

    [Fact]
    public async Task CsvSource_CompressedFileInChunks_DeadLetterKeepsItsLineInTheFile()
    {
        _folder.WriteBytes("in.csv.gz", Compressed.Gzip(Utf8(Csv(3000, badAt: 2500))));

        var output = await ReadAsync("csv", "in.csv.gz", chunkBytes: 4096);

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal(($"{_folder.PathOf("in.csv.gz")}:2501", "amount", "x"), (rejection.Origin, rejection.Column, rejection.Value));
        Assert.Equal(2999, output.Records.Count);
    }

    [Fact]
    public async Task JsonLinesSource_ZstdFile_DeadLetterKeepsItsLineInTheFile()
    {
        _folder.WriteBytes("in.jsonl.zst", Compressed.Zstd(Utf8(JsonLines(300, badAt: 123))));

        var output = await ReadAsync("jsonl", "in.jsonl.zst", chunkBytes: 256);

        Assert.Equal($"{_folder.PathOf("in.jsonl.zst")}:123", Assert.Single(output.Rejections).Origin);
    }

    [Fact]
    public async Task CsvSource_GzipFileOfConcatenatedMembers_ReadsEveryMember()
    {
        var first = Compressed.Gzip(Utf8(Csv(3)));
        var second = Compressed.Gzip(Utf8("4,d,4.25\n5,e,5.25\n")); // as `cat a.gz b.gz > in.csv.gz` makes
        _folder.WriteBytes("in.csv.gz", [.. first, .. second]);

        var output = await ReadAsync("csv", "in.csv.gz");

        Assert.Equal([1L, 2L, 3L, 4L, 5L], output.Values("id"));
        Assert.Equal($"{_folder.PathOf("in.csv.gz")}:6", output.Records[^1].Origin);
    }

    [Fact]
    public async Task JsonLinesSource_ManyGzipMembersAcrossChunks_ReadsEveryMember()
    {
        var members = Enumerable.Range(0, 40).SelectMany(m => Compressed.Gzip(Utf8(string.Concat(Enumerable.Range(1, 25).Select(i => $$"""{"id": {{m * 25 + i}}}""" + "\n"))))).ToArray();
        _folder.WriteBytes("in.jsonl.gz", members);

        var output = await ReadAsync("jsonl", "in.jsonl.gz", chunkBytes: 512);

        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (object?)(long)i), output.Values("id"));
    }

    [Fact]
    public async Task CsvSource_ExplicitGzip_ReadsAFileWhoseNameDoesNotSaySo()
    {
        _folder.WriteBytes("export.dat", Compressed.Gzip(Utf8(Csv(2))));

        var output = await ReadAsync("csv", "export.dat", "\"compression\": \"gzip\"");

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task JsonLinesSource_ExplicitZstd_ReadsAFileWhoseNameDoesNotSaySo()
    {
        _folder.WriteBytes("in.jsonl", Compressed.Zstd(Utf8(JsonLines(2))));

        var output = await ReadAsync("jsonl", "in.jsonl", "\"compression\": \"zstd\"");

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task CsvSource_CompressionNone_ReadsAGzNamedFileAsItIs()
    {
        _folder.Write("in.csv.gz", Csv(2));

        var output = await ReadAsync("csv", "in.csv.gz", "\"compression\": \"none\"");

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task CsvSource_CompressedFile_InfersTypesFromItsDecompressedRows()
    {
        _folder.WriteBytes("in.csv.zst", Compressed.Zstd(Utf8("id,amount,day,ok\n1,1.5,2026-11-28,true\n2,2.5,2026-11-29,false\n")));

        var output = await ReadAsync("csv", "in.csv.zst");

        var first = output.Records[0];
        Assert.Equal([typeof(long), typeof(double), typeof(DateOnly), typeof(bool)], new[] { "id", "amount", "day", "ok" }.Select(c => first[c]!.GetType()));
    }

    [Fact]
    public async Task CsvSource_GlobOfPlainAndCompressedFiles_ReadsThemAll()
    {
        _folder.Write("in/a.csv", Csv(1));
        _folder.WriteBytes("in/b.csv.gz", Compressed.Gzip(Utf8("id,name,amount\n2,b,2.25\n")));
        _folder.WriteBytes("in/c.csv.zst", Compressed.Zstd(Utf8("id,name,amount\n3,c,3.25\n")));

        var globbed = await ReadAsync("csv", "in/*.csv*");
        var folder = await ReadAsync("csv", "in");

        Assert.Equal([1L, 2L, 3L], globbed.Values("id"));
        Assert.Equal([1L, 2L, 3L], folder.Values("id"));
    }

    private async Task<string> FailureAsync(string type, string file, byte[] content, string options = "")
    {
        _folder.WriteBytes(file, content);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAsync(type, file, options, chunkBytes: type == "json" ? null : 4096));
        return e.Message;
    }

    [Theory]
    [InlineData("csv", "in.csv.gz")]
    [InlineData("jsonl", "in.jsonl.gz")]
    [InlineData("json", "in.json.gz")]
    public async Task Source_TruncatedGzipFile_FailsNamingTheFile(string type, string file)
    {
        var whole = Compressed.Gzip(Utf8(type switch { "csv" => Csv(5000), "jsonl" => JsonLines(5000), _ => JsonArray(5000) }));

        var message = await FailureAsync(type, file, whole[..(whole.Length / 2)]);

        Assert.StartsWith($"{_folder.PathOf(file)}: the gzip data ends early: the file is cut short (or has bytes after its last gzip member); read {whole.Length / 2:N0} bytes of the file, ", message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public async Task CsvSource_GzipFileMissingTheEndOfItsTrailer_Fails(int cut)
    {
        var whole = Compressed.Gzip(Utf8(Csv(100)));

        var message = await FailureAsync("csv", "in.csv.gz", whole[..^cut]);

        Assert.Contains("the gzip data ends early", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(512)]
    [InlineData(200_000)]
    public async Task CsvSource_GzipFileWithZeroPaddingAfterItsLastMember_ReadsAsThePlainFile(int padding)
    {
        // As tar pads its blocks; gzip -d and Python's gzip read such a file.
        _folder.WriteBytes("in.csv.gz", [.. Compressed.Gzip(Utf8(Csv(3000))), .. new byte[padding]]);

        var output = await ReadAsync("csv", "in.csv.gz", chunkBytes: 4096);

        Assert.Equal(Enumerable.Range(1, 3000).Select(i => (object?)(long)i), output.Values("id"));
        Assert.Empty(output.Rejections);
    }

    [Fact]
    public async Task JsonLinesSource_GzipMembersThenZeroPadding_ReadsEveryMember()
    {
        // An empty member's trailer is eight zero bytes of its own, before the padding.
        byte[] data = [.. Compressed.Gzip(Utf8(JsonLines(10))), .. Compressed.Gzip([]), .. new byte[1024]];
        _folder.WriteBytes("in.jsonl.gz", data);

        var output = await ReadAsync("jsonl", "in.jsonl.gz");

        Assert.Equal(10, output.Records.Count);
    }

    [Fact]
    public async Task CsvSource_GzipFileWithOtherBytesAfterItsLastMember_StillFails()
    {
        var message = await FailureAsync("csv", "in.csv.gz", [.. Compressed.Gzip(Utf8(Csv(100))), .. new byte[16], .. "junk"u8, .. new byte[16]]);

        Assert.Contains("(or has bytes after its last gzip member)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvSource_CutGzipFileFollowedByZeros_StillFails()
    {
        var whole = Compressed.Gzip(Utf8(Csv(5000)));

        var message = await FailureAsync("csv", "in.csv.gz", [.. whole[..(whole.Length / 2)], .. new byte[512]]);

        Assert.StartsWith($"{_folder.PathOf("in.csv.gz")}: ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvSource_GzipFileCutInItsTrailerThenZeros_StillFails()
    {
        var whole = Compressed.Gzip(Utf8(Csv(100)));
        Assert.NotEqual(0, whole[^6]); // the zeros do not stand in for what was cut

        var message = await FailureAsync("csv", "in.csv.gz", [.. whole[..^6], .. new byte[512]]);

        Assert.StartsWith($"{_folder.PathOf("in.csv.gz")}: ", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jsonl", "in.jsonl.gz")]
    [InlineData("json", "in.json.gz")]
    public async Task Source_GzipFileWithZeroPadding_ReadsAsThePlainFile(string type, string file)
    {
        var plain = Utf8(type == "jsonl" ? JsonLines(500) : JsonArray(500));
        _folder.WriteBytes(file, [.. Compressed.Gzip(plain), .. new byte[10_240]]);

        var output = await ReadAsync(type, file, type == "json" ? "\"recordPath\": \"data\"" : "");

        Assert.Equal(500, output.Records.Count);
    }

    [Fact]
    public async Task JsonLinesSource_TruncatedZstdFile_FailsNamingTheFile()
    {
        var whole = Compressed.Zstd(Utf8(JsonLines(5000)));

        var message = await FailureAsync("jsonl", "in.jsonl.zst", whole[..(whole.Length / 2)]);

        Assert.StartsWith($"{_folder.PathOf("in.jsonl.zst")}: the zstd data ends early: the file is cut short; read {whole.Length / 2:N0} bytes of the file, ", message);
    }

    [Fact]
    public async Task CsvSource_GzipFileWithAChangedByte_FailsAsCorrupt()
    {
        var data = Compressed.Gzip(Utf8(Csv(2000)));
        data[data.Length / 2] ^= 0x55;

        var message = await FailureAsync("csv", "in.csv.gz", data);

        Assert.Contains($"{_folder.PathOf("in.csv.gz")}: corrupt gzip data (a block or checksum does not decode); read ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvSource_PlainFileNamedGz_FailsSayingItIsNotGzip()
    {
        var message = await FailureAsync("csv", "in.csv.gz", Utf8(Csv(2)));

        Assert.Equal($"{_folder.PathOf("in.csv.gz")}: not gzip data (it starts with 69642c6e, gzip with 1f8b); set the source's \"compression\" to read it otherwise; read 43 bytes of the file, 0 bytes decompressed", message);
    }

    [Fact]
    public async Task JsonSource_PlainFileNamedZst_FailsSayingItIsNotZstd()
    {
        var message = await FailureAsync("json", "in.json.zst", Utf8("[{\"id\": 1}]"));

        Assert.StartsWith($"{_folder.PathOf("in.json.zst")}: not zstd data (it starts with 5b7b2269, zstd with 28b52ffd)", message);
    }

    [Theory]
    [InlineData("in.csv.gz", "gzip")]
    [InlineData("in.csv.zst", "zstd")]
    public async Task CsvSource_EmptyCompressedFile_FailsSayingItIsEmpty(string file, string codec)
    {
        var message = await FailureAsync("csv", file, []);

        Assert.Equal($"{_folder.PathOf(file)}: the file is empty, which is not {codec} data (set the source's \"compression\" to \"none\" to read it as it is)", message);
    }

    [Fact]
    public async Task Run_TruncatedGzipInput_FailsNamingTheFileAndCommitsNothing()
    {
        var whole = Compressed.Gzip(Utf8(Csv(20_000)));
        _folder.WriteBytes("in/b.csv.gz", whole[..(whole.Length * 3 / 4)]);
        _folder.Write("in/a.csv", Csv(10));
        var spec = TestRun.Spec(_folder, $$"""{ "type": "csv", "path": {{_folder.Json("in")}} }""");

        var result = await new PipelineRunner().RunAsync(spec, CancellationToken.None);

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains($"{_folder.PathOf("in/b.csv.gz")}: the gzip data ends early", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.PathOf("out/_SUCCESS")));
        Assert.Empty(Directory.Exists(_folder.PathOf("out")) ? Directory.GetFiles(_folder.PathOf("out"), "*.parquet") : []);
    }

    [Fact]
    public void Spec_UnknownCompression_NamesThePathAndTheAllowedValues()
    {
        var text = """
            { "name": "x", "source": { "type": "jsonl", "path": "in.jsonl.gz", "compression": "bz2" },
              "sinks": [ { "type": "parquet", "path": "lake" } ] }
            """;

        var errors = Assert.Throws<SpecException>(() => SpecLoader.Parse(text, "p.json")).Errors.Select(e => e.ToString());

        Assert.Equal(["p.json:1:68 $.source.compression: expected one of auto, gzip, zstd, none; got \"bz2\""], errors);
    }

    [Fact]
    public void Spec_Compression_DefaultsToAuto()
    {
        var text = """{ "name": "x", "source": { "type": "csv", "path": "in.csv" }, "sinks": [ { "type": "parquet", "path": "lake" } ] }""";

        Assert.Equal(InputCompression.Auto, Assert.IsType<CsvSourceSpec>(SpecLoader.Parse(text, "p.json").Spec.Source).Compression);
        Assert.Equal((InputCompression.Auto, InputCompression.Auto), (new JsonLinesSourceSpec { Path = "x" }.Compression, new JsonSourceSpec { Path = "x" }.Compression));
    }
}
