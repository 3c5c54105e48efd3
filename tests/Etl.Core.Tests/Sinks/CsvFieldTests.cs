// CsvField: the CSV text written from typed columns is byte for byte the text the record path wrote (CsvSink.Format of
// each boxed value through CsvWriter.WriteRecord), for every type, edge values and any delimiter.
using System.Text;
using CsvHelper;
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Sinks;

namespace Etl.Core.Tests.Sinks;

public sealed class CsvFieldTests : IDisposable
{
    private static readonly TableSchema Every = TestRun.Schema(
        ("s", "string"), ("b", "bool"), ("i", "int32"), ("l", "int64"), ("d", "double"), ("m", "decimal(18,2)"),
        ("wide", "decimal(38,10)"), ("day", "date"), ("ts", "timestamp"), ("id", "int64 not null"));

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly object?[][] EdgeRows =
    [
        ["", false, int.MinValue, long.MinValue, double.NaN, -0.01m, -1234567890.0123456789m, DateOnly.MinValue, DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc), 0L],
        ["Müller, \"東京\"\r\n", true, int.MaxValue, long.MaxValue, double.PositiveInfinity, 9999999999999999.99m, 0.0000000001m, DateOnly.MaxValue, DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), -1L],
        ["=1+1", null, 0, 0L, double.NegativeInfinity, 0m, -0.0000000001m, new DateOnly(1970, 1, 1), new DateTime(2026, 11, 28, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567), 1L],
        [" padded ", true, -1, -1L, -0.0, -5m, 5m, new DateOnly(2, 3, 4), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10), 2L],
        [null, false, 7, 7L, 1E+300, 12.5m, -12.5m, new DateOnly(2026, 11, 28), new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), 3L],
        ["x", null, null, null, double.Epsilon, null, null, null, null, 4L],
        ["€", true, 1, 1L, 0.1, -0.10m, 1.1234567891m, new DateOnly(2000, 2, 29), new DateTime(2000, 2, 29, 12, 0, 0, 5, DateTimeKind.Utc), 5L],
        ["y", false, 2, 2L, -1.7976931348623157E+308, 1m, -1m, new DateOnly(1999, 12, 31), new DateTime(1999, 12, 31, 23, 59, 59, 999, DateTimeKind.Utc), 6L],
    ];

    /// <summary>Seeded random rows of every type, about one value in eight null.</summary>
    private static object?[][] RandomRows(int seed, int count)
    {
        var random = new Random(seed);
        object? OrNull(object value) => random.Next(8) == 0 ? null : value;
        const string Chars = "ab,\"\r\n é東-.:T";
        string Text() => new([.. Enumerable.Range(0, random.Next(6)).Select(_ => Chars[random.Next(Chars.Length)])]);
        return [.. Enumerable.Range(0, count).Select(i => new object?[]
        {
            OrNull(Text()), OrNull(random.Next(2) == 1), OrNull(random.Next(int.MinValue, int.MaxValue)), OrNull(random.NextInt64(long.MinValue, long.MaxValue)),
            OrNull(BitConverter.Int64BitsToDouble(random.NextInt64())), OrNull(Math.Round((decimal)(random.NextDouble() - 0.5) * 1_000_000m, 2)),
            OrNull(Math.Round((decimal)(random.NextDouble() - 0.5) * 1000m, 10)), OrNull(DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber))),
            OrNull(new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Utc)), (long)i,
        })];
    }

    /// <summary>What the record path wrote: every value through <see cref="CsvSink.Format"/>, a record of strings at a time.</summary>
    private static string RecordPathText(TableSchema schema, IEnumerable<object?[]> rows, char delimiter)
    {
        using var stream = new MemoryStream();
        using (var writer = CsvWriter.Create(stream, new CsvWriterOptions { Separator = delimiter, Injection = CsvInjection.None }, leaveOpen: true))
        {
            writer.WriteHeader([.. schema.Columns.Select(c => c.Name)]);
            foreach (var row in rows)
            {
                writer.WriteRecord([.. row.Select((v, c) => CsvSink.Format(v, schema.Columns[c].Type))]);
            }
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private async Task<string> SinkTextAsync(TableSchema schema, char delimiter, int batchSize, params object?[][][] batches)
    {
        var sink = $$"""{ "type": "csv", "path": {{_folder.Json("out")}}, "delimiter": {{System.Text.Json.JsonSerializer.Serialize(delimiter.ToString())}} }""";
        var file = Assert.Single(await TestRun.WriteAsync(_folder, sink, schema, batchSize, batches));
        return Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file.StagingPath));
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('.')]
    [InlineData('-')]
    [InlineData(':')]
    [InlineData('e')]
    [InlineData('T')]
    [InlineData('1')]
    public async Task CsvSink_EdgeValuesOfEveryType_AreTheRecordPathsText(char delimiter)
    {
        var text = await SinkTextAsync(Every, delimiter, 3, EdgeRows);

        Assert.Equal(RecordPathText(Every, EdgeRows, delimiter), text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task CsvSink_RandomValuesOfEveryType_AreTheRecordPathsText(int seed)
    {
        var rows = RandomRows(seed, 2_000);

        var text = await SinkTextAsync(Every, ',', 700, [.. rows.Chunk(300)]);

        Assert.Equal(RecordPathText(Every, rows, ','), text);
    }

    [Fact]
    public async Task CsvSink_LocalTimestamp_IsWrittenInUtcAsTheRecordPathDid()
    {
        var schema = TestRun.Schema(("ts", "timestamp"));
        var local = new DateTime(2026, 6, 1, 12, 0, 0, DateTimeKind.Local);
        var batch = ColumnBatch.Conformed(schema, [new TypedColumn<DateTime>(ColumnKind.Timestamp, [local], null, 1)], 1);

        var text = await SinkBatchTextAsync(schema, batch);

        Assert.Equal(RecordPathText(schema, [[local]], ','), text);
    }

    private async Task<string> SinkBatchTextAsync(TableSchema schema, ColumnBatch batch)
    {
        var sink = $$"""{ "type": "csv", "path": {{_folder.Json("out")}} }""";
        await using var writer = TestRun.Sink(TestRun.Context(_folder, sink: sink));
        await writer.OpenAsync(schema, _folder.PathOf("staging"), 0, CancellationToken.None);
        await writer.WriteBatchAsync(batch, CancellationToken.None);
        var file = Assert.Single(await writer.CloseAsync(CancellationToken.None));
        return Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file.StagingPath));
    }
}
