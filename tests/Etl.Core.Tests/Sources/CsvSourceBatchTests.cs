// CsvSource builds typed column batches: cut at the output's batch rows or a byte budget, rows and origins in order.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Sources;

namespace Etl.Core.Tests.Sources;

public sealed class CsvSourceBatchTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Input => _folder.PathOf("in/input.csv");

    private async Task<BatchingOutput> ReadAsync(string content, int batchRows = 4096, string? schema = null, string options = "")
    {
        _folder.Write("in/input.csv", content);
        var source = $$"""{ "type": "csv", "path": {{_folder.Json("in/input.csv")}}{{(options.Length == 0 ? "" : ", " + options)}} }""";
        var output = new BatchingOutput(batchRows);
        await TestRun.Source(TestRun.Context(_folder, source, schema: schema)).ReadAsync(output, CancellationToken.None);
        return output;
    }

    private static string Numbers(int count) => "id\n" + string.Concat(Enumerable.Range(1, count).Select(i => $"{i}\n"));

    [Fact]
    public async Task CsvSource_MoreRowsThanBatchRows_CutsBatchesAtBatchRows()
    {
        var output = await ReadAsync(Numbers(7), batchRows: 3);

        Assert.Equal([3, 3, 1], output.Batches.Select(b => b.RowCount));
    }

    [Fact]
    public async Task CsvSource_Batches_AreInColumnFormWithTypedColumns()
    {
        var output = await ReadAsync("id,name,at\n1,ada,2026-11-28T10:00:00Z\n", schema: """{ "id": "int64", "name": "string", "at": "timestamp" }""");

        var batch = Assert.Single(output.Batches);
        Assert.Equal([ColumnKind.Int64, ColumnKind.String, ColumnKind.Timestamp], batch.Columns.Select(c => c.Kind));
    }

    [Fact]
    public async Task CsvSource_BatchesCutAtBatchRows_OriginsNameEachRowsLineAcrossTheCut()
    {
        var output = await ReadAsync(Numbers(5), batchRows: 2);

        Assert.Equal([.. Enumerable.Range(2, 5).Select(line => $"{Input}:{line}")], output.Origins);
    }

    [Fact]
    public async Task CsvSource_BatchesCutAtBatchRows_KeepEveryRowInOrder()
    {
        var output = await ReadAsync(Numbers(5), batchRows: 2, schema: """{ "id": "int64" }""");

        Assert.Equal([1L, 2L, 3L, 4L, 5L], output.Records.Select(r => r["id"]));
    }

    [Fact]
    public async Task CsvSource_BadRowInTheMiddleOfABatch_IsDeadLetteredWithItsLine()
    {
        var output = await ReadAsync("id\n1\n2\nx\n3\n4\n", schema: """{ "id": "int64" }""");

        Assert.Equal([new Rejection($"{Input}:4", "column 'id': \"x\" is not a int64", "x", "id", "x")], output.Rejections);
    }

    [Fact]
    public async Task CsvSource_BadRowInTheMiddleOfABatch_TheRowsAroundItKeepTheirOrderAndLines()
    {
        var output = await ReadAsync("id,name\n1,a\n2,b\nx,c\n3,d\n4,e\n", schema: """{ "id": "int64" }""");

        Assert.Equal(
            [(1L, "a", $"{Input}:2"), (2L, "b", $"{Input}:3"), (3L, "d", $"{Input}:5"), (4L, "e", $"{Input}:6")],
            output.Records.Select(r => ((long)r["id"]!, (string)r["name"]!, r.Origin)));
    }

    [Fact]
    public async Task CsvSource_RowFailingInALaterColumn_LeavesNothingOfItInTheBatch()
    {
        var output = await ReadAsync("name,id\n,1\nb,x\nc,\n", schema: """{ "name": "string", "id": "int64" }""");

        Assert.Equal([(null, 1L), ("c", null)], output.Records.Select(r => ((string?)r["name"], (long?)r["id"])));
    }

    [Fact]
    public async Task CsvSource_SampledRows_ComeFirstAndInOrderAcrossBatches()
    {
        var output = await ReadAsync(Numbers(5), batchRows: 3, options: "\"sampleRows\": 2");

        Assert.Equal([(1L, $"{Input}:2"), (2L, $"{Input}:3"), (3L, $"{Input}:4"), (4L, $"{Input}:5"), (5L, $"{Input}:6")],
            output.Records.Select(r => ((long)r["id"]!, r.Origin)));
    }

    [Fact]
    public async Task CsvSource_DeclaredBools_ReadEveryWordTheTextPathKnows()
    {
        var output = await ReadAsync("ok\nTRUE\nt\nYes\ny\n1\nFalse\nF\nNO\nn\n0\n yes \n", schema: """{ "ok": "bool" }""");

        Assert.Equal([true, true, true, true, true, false, false, false, false, false, true], output.Records.Select(r => r["ok"]));
    }

    [Fact]
    public async Task CsvSource_DeclaredDates_AreDatesOrTimestampsAtMidnightUtc()
    {
        var output = await ReadAsync("day\n2026-11-28\n2026-11-28T22:00:00-02:00\n2026-11-28T00:00\n", schema: """{ "day": "date" }""");

        Assert.Equal([new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 29), new DateOnly(2026, 11, 28)], output.Records.Select(r => r["day"]));
    }

    [Theory]
    [InlineData("decimal(18,2)")]
    [InlineData("double")]
    [InlineData("int64")]
    public async Task CsvSource_NumberWithAGroupSeparator_IsADeadLetterNotAnotherNumber(string type)
    {
        var output = await ReadAsync("id,n\n1,\"1,5\"\n2,\" 7 \"\n", schema: $$"""{ "n": "{{type}}" }""");

        Assert.Equal("\"1,5\" is not a " + type, Assert.Single(output.Rejections).Reason.Split(": ", 2)[1]);
        Assert.Equal(7m, Convert.ToDecimal(Assert.Single(output.Records)["n"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task CsvSource_DeclaredDateWithATimeOfDay_IsADeadLetter()
    {
        var output = await ReadAsync("day\n2026-11-28T10:00\n", schema: """{ "day": "date" }""");

        Assert.Empty(output.Records);
        Assert.Contains("it has a time of day", Assert.Single(output.Rejections).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvSource_WideFile_BatchesAreCutByTheirEstimatedBytes()
    {
        const int columns = 500;
        var header = string.Join(',', Enumerable.Range(1, columns).Select(c => $"c{c}"));
        var row = string.Join(',', Enumerable.Range(1, columns).Select(c => $"value{c}"));
        var output = await ReadAsync(header + "\n" + string.Concat(Enumerable.Repeat(row + "\n", 1000)), options: "\"inferTypes\": false");

        Assert.True(output.Batches.Count > 1, $"{output.Batches.Count} batch(es)");
        Assert.All(output.Batches, b => Assert.InRange(b.EstimatedBytes, 0, CsvBatchBuilder.MaxBatchBytes));
        Assert.Equal(1000, output.Batches.Sum(b => b.RowCount));
    }

    [Fact]
    public async Task CsvSource_DeclaredDecimalWithTooManyDigits_IsPassedOnForTheConformerToRefuse()
    {
        var output = await ReadAsync("amount\n12.345\n", schema: """{ "amount": "decimal(18,2)" }""");

        var value = Assert.IsType<decimal>(Assert.Single(output.Records)["amount"]);
        Assert.False(ValueConverter.TryConvert(value, ColumnType.Parse("decimal(18,2)"), out _, out var error));
        Assert.Equal("\"12.345\" is not a decimal(18,2) (more than 2 digits after the decimal point)", error);
    }

    [Fact]
    public async Task CsvSource_HivePartitionColumn_IsTheSameConstantOnEveryRowOfTheFile()
    {
        _folder.Write("lake/year=2026/part-1.csv", "id\n1\n2\n");
        var output = new BatchingOutput(1);

        await TestRun.Source(TestRun.Context(_folder, $$"""{ "type": "csv", "path": {{_folder.Json("lake")}} }""")).ReadAsync(output, CancellationToken.None);

        Assert.Equal([2026L, 2026L], output.Records.Select(r => r["year"]));
    }

    [Fact]
    public async Task CsvSource_ReplacementCharacterInTheData_IsKeptAsText()
    {
        _folder.Write("in/input.csv", "id,name\n1,a\uFFFDb\n2,c\n");

        var output = await ReadFileAsync(schema: """{ "id": "int64", "name": "string" }""");

        Assert.Empty(output.Rejections);
        Assert.Equal(["a\uFFFDb", "c"], output.Records.Select(r => r["name"]));
    }

    [Fact]
    public async Task CsvSource_ReplacementCharacterInTheInferenceSample_IsKeptAsText()
    {
        _folder.Write("in/input.csv", "id,name\n1,a\uFFFDb\n");

        var output = await ReadFileAsync(schema: null);

        Assert.Empty(output.Rejections);
        Assert.Equal("a\uFFFDb", Assert.Single(output.Records)["name"]);
    }

    private Task<BatchingOutput> ReadWithBadBytesAsync()
    {
        _folder.WriteBytes("in/input.csv", [.. "id,name\n1,a\n2,"u8, 0xFF, .. "\n3,c\n"u8]);
        return ReadFileAsync(schema: """{ "id": "int64", "name": "string" }""");
    }

    private async Task<BatchingOutput> ReadFileAsync(string? schema)
    {
        var output = new BatchingOutput();
        await TestRun.Source(TestRun.Context(_folder, $$"""{ "type": "csv", "path": {{_folder.Json("in/input.csv")}} }""", schema: schema))
            .ReadAsync(output, CancellationToken.None);
        return output;
    }

    [Fact]
    public async Task CsvSource_BytesThatAreNotUtf8InABatch_AreDeadLetteredWithTheirLine()
    {
        var output = await ReadWithBadBytesAsync();

        Assert.Equal([$"{Input}:3"], output.Rejections.Select(r => r.Origin));
    }

    [Fact]
    public async Task CsvSource_BytesThatAreNotUtf8InABatch_TheOtherRowsAreKept()
    {
        var output = await ReadWithBadBytesAsync();

        Assert.Equal([1L, 3L], output.Records.Select(r => r["id"]));
    }
}
