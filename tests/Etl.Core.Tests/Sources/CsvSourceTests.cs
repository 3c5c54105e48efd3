// CsvSource: header, delimiter, quoting, encodings, type inference and the rejections of records it cannot read.
using System.IO.Compression;
using System.Text;
using Etl.Core.Tests.TestSupport;

namespace Etl.Core.Tests.Sources;

public sealed class CsvSourceTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Reads <paramref name="content"/> as in/input.csv with the given source options (JSON properties).</summary>
    private Task<CollectingOutput> ReadAsync(string content, string options = "", string? schema = null)
    {
        _folder.Write("in/input.csv", content);
        return ReadFileAsync("in/input.csv", options, schema);
    }

    private Task<CollectingOutput> ReadFileAsync(string relative, string options = "", string? schema = null) =>
        TestRun.ReadAsync(_folder, $$"""{ "type": "csv", "path": {{_folder.Json(relative)}}{{(options.Length == 0 ? "" : ", " + options)}} }""", schema);

    private string Input => _folder.PathOf("in/input.csv");

    [Fact]
    public async Task CsvSource_NoHeaderWithColumns_UsesTheColumnsGiven()
    {
        var output = await ReadAsync("1,ada\n", "\"header\": false, \"columns\": [\"id\", \"name\"]");

        Assert.Equal(["id", "name"], Assert.Single(output.Records).Names);
    }

    [Fact]
    public async Task CsvSource_NoHeaderNoColumns_NamesColumnsByPositionAndKeepsTheFirstRow()
    {
        var output = await ReadAsync("1,ada\n2,bob\n", "\"header\": false");

        Assert.Equal(["column1", "column2"], output.Records[0].Names);
        Assert.Equal(["ada", "bob"], output.Values("column2"));
    }

    [Fact]
    public async Task CsvSource_RepeatedOrBlankHeaders_AreMadeUnique()
    {
        var output = await ReadAsync("id,id,\n1,2,3\n");

        Assert.Equal(["id", "id_2", "column3"], Assert.Single(output.Records).Names);
    }

    [Fact]
    public async Task CsvSource_Delimiter_SplitsOnIt()
    {
        var output = await ReadAsync("id;name\n1;ada,lovelace\n", "\"delimiter\": \";\"");

        Assert.Equal(["ada,lovelace"], output.Values("name"));
    }

    [Fact]
    public async Task CsvSource_QuotedFieldWithDelimiterQuoteAndLineBreak_IsOneValue()
    {
        var output = await ReadAsync("id,note\n1,\"a,b \"\"c\"\"\nd\"\n2,e\n");

        Assert.Equal(["a,b \"c\"\nd", "e"], output.Values("note"));
    }

    [Fact]
    public async Task CsvSource_CrLfLineEndings_AreNotPartOfTheValues()
    {
        var output = await ReadAsync("id,name\r\n1,ada\r\n2,bob\r\n");

        Assert.Equal(["ada", "bob"], output.Values("name"));
    }

    [Fact]
    public async Task CsvSource_EmptyField_ReadsNull()
    {
        var output = await ReadAsync("id,name\n1,\n");

        Assert.Null(Assert.Single(output.Records)["name"]);
    }

    [Fact]
    public async Task CsvSource_InferTypes_ReadsNumbersBoolsAndDates()
    {
        var output = await ReadAsync("n,x,ok,day\n1,1.5,true,2026-11-28\n");

        Assert.Equal([1L, 1.5, true, new DateOnly(2026, 11, 28)], Assert.Single(output.Records).Names.Select(n => output.Records[0][n]));
    }

    [Fact]
    public async Task CsvSource_InferTypesOff_ReadsEveryValueAsText()
    {
        var output = await ReadAsync("n,ok\n1,true\n", "\"inferTypes\": false");

        Assert.Equal(["1", "true"], Assert.Single(output.Records).Names.Select(n => output.Records[0][n]));
    }

    [Fact]
    public async Task CsvSource_DeclaredSchema_TakesTheDeclaredTypeOverTheInferredOne()
    {
        var output = await ReadAsync("code\n007\n", schema: """{ "code": "string" }""");

        Assert.Equal(["007"], output.Values("code"));
    }

    [Fact]
    public async Task CsvSource_ValueNotOfTheInferredType_IsRejectedNamingColumnAndValue()
    {
        var output = await ReadAsync("id\n1\nx\n", "\"sampleRows\": 1");

        Assert.Equal(
            [new Rejection($"{Input}:3", "column 'id': \"x\" is not a int64 (type inferred from the first rows; declare the column in \"schema\" to change it)", "x", "id", "x")],
            output.Rejections);
    }

    [Fact]
    public async Task CsvSource_ValueNotOfTheDeclaredType_IsRejectedWithoutTheInferenceNote()
    {
        var output = await ReadAsync("id\nx\n", schema: """{ "id": "int64" }""");

        Assert.Equal(["column 'id': \"x\" is not a int64"], output.Rejections.Select(r => r.Reason));
    }

    [Fact]
    public async Task CsvSource_RejectedValue_RawIsTheRecordQuotedAgain()
    {
        var output = await ReadAsync("id,note\n1,a\nx,\"b,c\"\n", "\"sampleRows\": 1");

        Assert.Equal(["x,\"b,c\""], output.Rejections.Select(r => r.Raw));
    }

    [Fact]
    public async Task CsvSource_TooManyFields_ReasonNamesTheHeaderWidth()
    {
        var output = await ReadAsync("id,name\n1,ada,extra\n");

        Assert.Equal(["malformed CSV record: FieldCountMismatch (the header has 2 fields)"], output.Rejections.Select(r => r.Reason));
    }

    [Fact]
    public async Task CsvSource_GzipFile_ReadsItDecompressed()
    {
        using (var gzip = new GZipStream(File.Create(_folder.PathOf("in.csv.gz")), CompressionLevel.Fastest))
        {
            gzip.Write("id,name\n1,ada\n"u8);
        }

        var output = await ReadFileAsync("in.csv.gz");

        Assert.Equal(["ada"], output.Values("name"));
    }

    [Fact]
    public async Task CsvSource_Latin1Encoding_DecodesIt()
    {
        _folder.WriteBytes("in/input.csv", Encoding.Latin1.GetBytes("name\nMüller\n"));

        var output = await ReadFileAsync("in/input.csv", "\"encoding\": \"latin1\"");

        Assert.Equal(["Müller"], output.Values("name"));
    }

    [Fact]
    public async Task CsvSource_LakeFolder_AddsHivePartitionFoldersAsColumns()
    {
        _folder.Write("lake/country=FR/part-1.csv", "id\n1\n");

        var output = await ReadFileAsync("lake");

        Assert.Equal([1L, "FR"], Assert.Single(output.Records).Names.Select(n => output.Records[0][n]));
    }
}
