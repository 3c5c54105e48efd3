// The behaviour every sink shares, run once per sink and checked with DuckDB: a new sink gets these tests by one
// line in SinkConformanceSuites.cs.
using Etl.Core.Tests.TestSupport;
using Etl.Lake;
using Etl.Records;
using Etl.Sinks;

namespace Etl.Core.Tests.Sinks.Conformance;

public abstract class SinkConformance<TCase> : IDisposable
    where TCase : ISinkCase, new()
{
    private static readonly TableSchema People = TestRun.Schema(("id", "int64 not null"), ("name", "string"), ("country", "string"));

    private static readonly object?[][] Five =
        [[1L, "ada", "FR"], [2L, "bob", "DE"], [3L, "cy", "FR"], [4L, "dee", "DE"], [5L, "eve", "FR"]];

    private readonly TCase _case = new();

    private readonly TestFolder _folder = new();

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }

    private string Staging => _folder.PathOf("staging");

    private ISink NewSink(string options = "") =>
        TestRun.Sink(TestRun.Context(_folder, sink: _case.Sink(_folder.PathOf("out"), options)));

    private Task<IReadOnlyList<StagedFile>> WriteAsync(string options, TableSchema schema, params object?[][][] batches) =>
        TestRun.WriteAsync(_folder, _case.Sink(_folder.PathOf("out"), options), schema, batches);

    /// <summary>Moves staged files where the committer puts them (the lake folder, at their relative paths), in order.</summary>
    private List<string> Publish(IReadOnlyList<StagedFile> files)
    {
        var published = new List<string>();
        foreach (var file in files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            var target = _folder.PathOf(Path.Combine("lake", file.RelativePath));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(file.StagingPath, target);
            published.Add(target);
        }
        return published;
    }

    private List<string?[]> ReadBack(IReadOnlyList<StagedFile> files, TableSchema schema, bool hive = false) =>
        DuckDb.Rows($"SELECT * FROM {_case.Read(Publish(files), schema, hive)} ORDER BY id");

    [Fact]
    public async Task Sink_EveryColumnType_DuckDbReadsTheValuesAsDeclared()
    {
        var schema = TestRun.Schema(("id", "int64 not null"), ("name", "string"), ("amount", "decimal(18,2)"), ("day", "date"),
            ("at", "timestamp"), ("ok", "bool"), ("ratio", "double"), ("n", "int32"));
        var at = new DateTime(2026, 11, 28, 10, 30, 0, DateTimeKind.Utc);

        var files = await WriteAsync("", schema, [
            [1L, "ada", 12.5m, new DateOnly(2026, 11, 28), at, true, 0.25, 7],
            [2L, null, null, null, null, null, null, null],
        ]);

        string?[][] expected =
        [
            ["1", "ada", "12.50", "2026-11-28", "2026-11-28 10:30:00+00", "true", "0.25", "7"],
            ["2", null, null, null, null, null, null, null],
        ];
        Assert.Equal(expected, ReadBack(files, schema));
    }

    [Fact]
    public async Task Sink_SeveralBatches_WritesOneFileWithEveryRowInOrder()
    {
        var files = await WriteAsync("", People, Five[..2], Five[2..3], Five[3..]);

        var published = Publish(files);

        Assert.Equal(["1", "2", "3", "4", "5"], DuckDb.Column($"SELECT id FROM {_case.Read(published, People, hive: false)}"));
    }

    [Fact]
    public async Task Sink_Close_StagesNamedPartFilesWithTheInProgressSuffix()
    {
        await using var sink = NewSink();
        await sink.OpenAsync(People, Staging, 3, CancellationToken.None);
        await sink.WriteBatchAsync(Five, CancellationToken.None);

        var file = Assert.Single(await sink.CloseAsync(CancellationToken.None));

        Assert.Equal($"part-{TestRun.RunId}-3-00000{_case.Extension}", file.RelativePath);
        Assert.Equal(Path.Combine(Staging, file.RelativePath + ".inprogress"), file.StagingPath);
    }

    [Fact]
    public async Task Sink_Close_ReportsTheRowsAndBytesOfEachFile()
    {
        var file = Assert.Single(await WriteAsync("", People, Five));

        Assert.Equal((5L, new FileInfo(file.StagingPath).Length), (file.Rows, file.Bytes));
    }

    [Fact]
    public async Task Sink_NoRows_StagesNoFile()
    {
        var files = await WriteAsync("", People);

        Assert.Empty(files);
    }

    [Fact]
    public async Task Sink_PartitionBy_StagesOneFilePerHiveFolder()
    {
        var files = await WriteAsync("\"partitionBy\": [\"country\"]", People, Five);

        Assert.Equal(["country=DE", "country=FR"], files.Select(f => f.Partition).Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(f.Partition, Path.GetDirectoryName(f.RelativePath)));
    }

    [Fact]
    public async Task Sink_PartitionBy_DuckDbRestoresThePartitionColumnFromTheFolders()
    {
        var files = await WriteAsync("\"partitionBy\": [\"country\"]", People, Five);

        var rows = ReadBack(files, TestRun.Schema(("id", "int64 not null"), ("name", "string")), hive: true);

        Assert.Equal([.. Five.Select(r => new[] { r[0]!.ToString(), (string?)r[1], (string?)r[2] })], rows);
    }

    [Fact]
    public async Task Sink_PartitionBy_LeavesThePartitionColumnOutOfTheFiles()
    {
        var files = await WriteAsync("\"partitionBy\": [\"country\"]", People, Five);
        var germany = Publish(files)[0];

        var rows = DuckDb.Rows($"SELECT * FROM {_case.Read([germany], TestRun.Schema(("id", "int64 not null"), ("name", "string")), hive: false)} ORDER BY id");

        Assert.Equal([["2", "bob"], ["4", "dee"]], rows);
    }

    [Fact]
    public async Task Sink_PartitionByAColumnNotWritten_OpenThrowsNamingIt()
    {
        await using var sink = NewSink("\"partitionBy\": [\"city\"]");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => sink.OpenAsync(People, Staging, 0, CancellationToken.None));

        Assert.Equal($"sink '{_folder.PathOf("out")}': partitionBy column 'city' is not in the output columns (id, name, country)", e.Message);
    }

    [Fact]
    public async Task Sink_MaxRowsPerFile_RollsToANewFile()
    {
        var files = await WriteAsync("\"maxRowsPerFile\": 2", People, Five);

        var counts = Publish(files).Select(f => DuckDb.Scalar($"SELECT count(*) FROM {_case.Read([f], People, hive: false)}"));

        Assert.Equal(["2", "2", "1"], counts);
    }

    [Fact]
    public async Task Sink_MaxRowsPerFile_CountsRowsAcrossBatches()
    {
        var files = await WriteAsync("\"maxRowsPerFile\": 3", People, Five[..2], Five[2..4], Five[4..]);

        Assert.Equal([3L, 2L], files.Select(f => f.Rows));
    }

    [Fact]
    public async Task Sink_CloseTwice_ReturnsTheSameFiles()
    {
        await using var sink = NewSink();
        await sink.OpenAsync(People, Staging, 0, CancellationToken.None);
        await sink.WriteBatchAsync(Five, CancellationToken.None);
        var first = (await sink.CloseAsync(CancellationToken.None)).ToList();

        var second = await sink.CloseAsync(CancellationToken.None);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Sink_DisposedTwiceAfterClose_LeavesTheFilesReadable()
    {
        var sink = NewSink();
        await sink.OpenAsync(People, Staging, 0, CancellationToken.None);
        await sink.WriteBatchAsync(Five, CancellationToken.None);
        var files = await sink.CloseAsync(CancellationToken.None);

        await sink.DisposeAsync();
        await sink.DisposeAsync();

        Assert.Equal(5, ReadBack(files, People).Count);
    }

    [Fact]
    public async Task Sink_CountFileRows_CountsTheRowsOfAFileItWrote()
    {
        var file = Assert.Single(await WriteAsync("", People, Five));
        await using var sink = NewSink();

        Assert.Equal(5L, await sink.CountFileRowsAsync(file.StagingPath, CancellationToken.None));
    }
}
