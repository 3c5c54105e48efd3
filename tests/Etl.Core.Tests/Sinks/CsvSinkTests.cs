// CsvSink: RFC 4180 text with a header, ISO dates, invariant numbers, decimals at their scale, optional gzip.
using System.IO.Compression;
using System.Text;
using Etl.Core.Tests.TestSupport;
using Etl.Records;

namespace Etl.Core.Tests.Sinks;

public sealed class CsvSinkTests : IDisposable
{
    private static readonly TableSchema People = TestRun.Schema(("id", "int64 not null"), ("name", "string"));

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The text of the one file a CSV sink with <paramref name="options"/> writes for <paramref name="rows"/>.</summary>
    private async Task<string> WriteAsync(TableSchema schema, object?[][] rows, string options = "")
    {
        var sink = $$"""{ "type": "csv", "path": {{_folder.Json("out")}}{{(options.Length == 0 ? "" : ", " + options)}} }""";
        var file = Assert.Single(await TestRun.WriteAsync(_folder, sink, schema, rows));
        await using Stream stream = File.OpenRead(file.StagingPath);
        var text = file.RelativePath.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var reader = new StreamReader(text, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task CsvSink_Default_WritesAHeaderThenOneLinePerRow()
    {
        var text = await WriteAsync(People, [[1L, "ada"], [2L, "bob"]]);

        Assert.Equal("id,name\r\n1,ada\r\n2,bob\r\n", text);
    }

    [Fact]
    public async Task CsvSink_HeaderOff_WritesOnlyTheRows()
    {
        var text = await WriteAsync(People, [[1L, "ada"]], "\"header\": false");

        Assert.Equal("1,ada\r\n", text);
    }

    [Fact]
    public async Task CsvSink_Delimiter_SeparatesTheFields()
    {
        var text = await WriteAsync(People, [[1L, "ada"]], "\"delimiter\": \";\"");

        Assert.Equal("id;name\r\n1;ada\r\n", text);
    }

    [Fact]
    public async Task CsvSink_TextWithDelimiterQuoteOrLineBreak_IsQuoted()
    {
        var text = await WriteAsync(People, [[1L, "a,b"], [2L, "say \"hi\""], [3L, "two\nlines"]]);

        Assert.Equal("id,name\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n", text);
    }

    [Fact]
    public async Task CsvSink_Null_IsAnEmptyField()
    {
        var text = await WriteAsync(People, [[1L, null]]);

        Assert.Equal("id,name\r\n1,\r\n", text);
    }

    [Fact]
    public async Task CsvSink_TextThatLooksLikeAFormula_IsWrittenAsIs()
    {
        var text = await WriteAsync(People, [[1L, "=1+1"]]);

        Assert.Equal("id,name\r\n1,=1+1\r\n", text);
    }

    [Fact]
    public async Task CsvSink_Decimal_IsWrittenAtTheColumnScale()
    {
        var text = await WriteAsync(TestRun.Schema(("amount", "decimal(18,2)")), [[12.5m], [3m]]);

        Assert.Equal("amount\r\n12.50\r\n3.00\r\n", text);
    }

    [Fact]
    public async Task CsvSink_DateAndTimestamp_AreIso8601()
    {
        var schema = TestRun.Schema(("day", "date"), ("at", "timestamp"));

        var text = await WriteAsync(schema, [[new DateOnly(2026, 11, 28), new DateTime(2026, 11, 28, 10, 30, 0, DateTimeKind.Utc)]]);

        Assert.Equal("day,at\r\n2026-11-28,2026-11-28T10:30:00Z\r\n", text);
    }

    [Fact]
    public async Task CsvSink_NumbersAndBools_AreInvariant()
    {
        var schema = TestRun.Schema(("ratio", "double"), ("n", "int32"), ("ok", "bool"));

        var text = await WriteAsync(schema, [[0.1, -7, true]]);

        Assert.Equal("ratio,n,ok\r\n0.1,-7,true\r\n", text);
    }

    [Fact]
    public async Task CsvSink_Gzip_WritesACompressedCsvGzFile()
    {
        var sink = $$"""{ "type": "csv", "path": {{_folder.Json("out")}}, "compression": "gzip" }""";

        var file = Assert.Single(await TestRun.WriteAsync(_folder, sink, People, [[1L, "ada"]]));

        Assert.EndsWith(".csv.gz", file.RelativePath);
        Assert.Equal([["1", "ada"]], DuckDb.Rows($"SELECT * FROM read_csv({DuckDb.Quote(file.StagingPath)}, compression = 'gzip', header = true)"));
    }
}
