// CsvSource on files as real exports make them: legacy code pages, Excel's UTF-16 "Unicode text", old Mac line ends,
// trailing empty lines and delimiters, headers with repeated or empty names.
using System.Text;
using Etl.Core.Tests.TestSupport;
using Etl.Sources;
using Etl.Spec;

namespace Etl.Core.Tests.Sources;

public sealed class CsvExportShapesTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Input => _folder.PathOf("in.csv");

    private Task<CollectingOutput> ReadAsync(byte[] content, string options = "")
    {
        _folder.WriteBytes("in.csv", content);
        return TestRun.ReadAsync(_folder, $$"""{ "type": "csv", "path": {{_folder.Json("in.csv")}}{{(options.Length == 0 ? "" : ", " + options)}} }""");
    }

    private static Encoding Windows1252
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(1252);
        }
    }

    private const string SmartText = "name,price\nCafé “Le Monde” – Paris,€5\n";

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("cp1252")]
    public async Task CsvSource_Windows1252Export_DecodesAccentsEuroAndSmartQuotes(string encoding)
    {
        var output = await ReadAsync(Windows1252.GetBytes(SmartText), $"\"encoding\": \"{encoding}\"");

        Assert.Equal(["Café “Le Monde” – Paris"], output.Values("name"));
        Assert.Equal(["€5"], output.Values("price"));
    }

    [Theory]
    [InlineData("latin1")]
    [InlineData("iso-8859-1")]
    public async Task CsvSource_Latin1Export_DecodesAccents(string encoding)
    {
        var output = await ReadAsync(Encoding.Latin1.GetBytes("name\nCafé Müller\n"), $"\"encoding\": \"{encoding}\"");

        Assert.Equal(["Café Müller"], output.Values("name"));
    }

    [Fact]
    public async Task CsvSource_Windows1252ReadAsUtf8_DeadLettersTheRowNamingTheEncodingOption()
    {
        var output = await ReadAsync(Windows1252.GetBytes(SmartText));

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal(($"{Input}:2", "name"), (rejection.Origin, rejection.Column));
        Assert.Equal("column 'name': bytes that are not UTF-8; set the source's \"encoding\" (latin1, windows-1252, utf-16)", rejection.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"encoding\": \"utf-16\"")]
    public async Task CsvSource_Utf16LittleEndianWithByteOrderMark_ReadsItWhateverTheEncodingSays(string options)
    {
        // Excel's "Unicode text": UTF-16 LE with a byte order mark, tab-separated.
        byte[] content = [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("name\tprice\r\nCafé “x”\t5\r\n")];

        var output = await ReadAsync(content, "\"delimiter\": \"\\t\"" + (options.Length > 0 ? ", " + options : ""));

        Assert.Equal(["Café “x”"], output.Values("name"));
        Assert.Equal([5L], output.Values("price"));
    }

    [Fact]
    public void CsvSource_UnknownEncoding_IsASpecErrorAtItsPath()
    {
        var text = """{ "name": "x", "source": { "type": "csv", "path": "in.csv", "encoding": "klingon" }, "sinks": [ { "type": "parquet", "path": "lake" } ] }""";

        var errors = Assert.Throws<SpecException>(() => SpecLoader.Parse(text, "p.json")).Errors.Select(e => e.ToString());

        Assert.Equal(["p.json:1:61 $.source.encoding: unknown encoding \"klingon\"; expected utf-8, utf-16, latin1, ascii or another .NET encoding name"], errors);
    }

    [Fact]
    public async Task CsvSource_CarriageReturnLineEnds_ReadOneRecordALine()
    {
        var output = await ReadAsync("a,b\r1,2\r3,4\r"u8.ToArray()); // as classic Mac OS exports end lines

        Assert.Equal([1L, 3L], output.Values("a"));
        Assert.Equal([$"{Input}:2", $"{Input}:3"], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task CsvSource_TrailingEmptyLines_AddNoRecord()
    {
        var output = await ReadAsync("a,b\n1,2\n3,4\n\n\r\n"u8.ToArray());

        Assert.Equal([1L, 3L], output.Values("a"));
        Assert.Empty(output.Rejections);
    }

    [Fact]
    public async Task CsvSource_TrailingDelimiterOnEveryLine_ReadsAnEmptyColumnOfNulls()
    {
        var output = await ReadAsync("a,b,\n1,2,\n"u8.ToArray());

        Assert.Equal(["a", "b", "column3"], Assert.Single(output.Records).Names);
        Assert.Equal([null], output.Values("column3"));
    }

    [Fact]
    public async Task CsvSource_TrailingDelimiterOnDataLinesOnly_ReadsTheRowsWithoutTheEmptyField()
    {
        // As DuckDB's read_csv does, and pandas with index_col=False (its documented answer to such files).
        var output = await ReadAsync("a,b\n1,2,\n3,4,\n"u8.ToArray());

        Assert.Empty(output.Rejections);
        Assert.Equal(["a", "b"], output.Records[0].Names);
        Assert.Equal([(object?)2L, 4L], output.Values("b"));
    }

    [Fact]
    public async Task CsvSource_TrailingDelimiterOnSomeDataLines_ReadsThemAll()
    {
        var output = await ReadAsync("a,b\n1,2,\n3,4\n5,\"6\",\r\n"u8.ToArray());

        Assert.Empty(output.Rejections);
        Assert.Equal([(object?)1L, 3L, 5L], output.Values("a"));
    }

    [Fact]
    public async Task CsvSource_NonEmptyExtraField_IsStillAFieldCountDeadLetterNamingFileAndLine()
    {
        var output = await ReadAsync("a,b\n1,2,\n3,4,x\n"u8.ToArray());

        var rejection = Assert.Single(output.Rejections);
        Assert.Equal(($"{Input}:3", "malformed CSV record: FieldCountMismatch (the header has 2 fields)", "3,4,x"), (rejection.Origin, rejection.Reason, rejection.Raw));
        Assert.Equal([(object?)1L], output.Values("a"));
    }

    [Fact]
    public async Task CsvSource_TwoExtraEmptyFields_AreStillAFieldCountDeadLetter()
    {
        var output = await ReadAsync("a,b\n1,2,,\n"u8.ToArray());

        Assert.Equal(($"{Input}:2", "1,2,,"), (Assert.Single(output.Rejections).Origin, output.Rejections[0].Raw));
    }

    [Fact]
    public async Task CsvSource_TrailingDelimiterWithoutAHeader_IsAColumnOfItsOwn()
    {
        // Without a header the first line sets the width: its trailing delimiter is a column, as before.
        var output = await ReadAsync("1,2,\n3,4,\n"u8.ToArray(), "\"header\": false");

        Assert.Equal(["column1", "column2", "column3"], output.Records[0].Names);
    }

    [Fact]
    public async Task CsvSource_RepeatedAndEmptyHeaderNames_KeepEveryColumnUnderAUniqueName()
    {
        var output = await ReadAsync("a,a,,a_2,column3\n1,2,3,4,5\n"u8.ToArray());

        var record = Assert.Single(output.Records);
        Assert.Equal(["a", "a_3", "column3_2", "a_2", "column3"], record.Names);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], record.Names.Select(n => record[n]));
    }

    [Fact]
    public void CsvSource_UniqueNames_NumberRepeatsFromTwoInHeaderOrder()
    {
        Assert.Equal(["id", "id_2", "id_3", "column4", "x"], CsvSource.Unique(["id", "id", "id", " ", "x"]));
    }
}
