// The behaviour every file source shares, run once per source: a new source gets these tests by one line in
// SourceConformanceSuites.cs.
using Etl.Core.Tests.TestSupport;

namespace Etl.Core.Tests.Sources.Conformance;

public abstract class SourceConformance<TCase> : IDisposable
    where TCase : ISourceCase, new()
{
    protected static readonly SampleRow[] Sample = [new(1, "ada"), new(2, "bob"), new(3, "cy")];

    protected TCase Case { get; } = new();

    protected TestFolder Folder { get; } = new();

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }

    protected string InputFile(string name = "input") => Folder.PathOf($"in/{name}{Case.Extension}");

    /// <summary>Runs the source at <paramref name="path"/> to the end into a collecting output.</summary>
    protected Task<CollectingOutput> ReadAsync(string path) => TestRun.ReadAsync(Folder, Case.Source(path));

    [Fact]
    public async Task Source_Sample_SendsEveryRecordInOrder()
    {
        var file = InputFile();
        await Case.WriteAsync(file, Sample);

        var output = await ReadAsync(file);

        Assert.Equal([1L, 2L, 3L], output.Values("id"));
        Assert.Equal(["ada", "bob", "cy"], output.Values("name"));
    }

    [Fact]
    public async Task Source_Sample_GivesEachRecordItsOrigin()
    {
        var file = InputFile();
        await Case.WriteAsync(file, Sample);

        var output = await ReadAsync(file);

        Assert.Equal([.. Sample.Select((_, i) => Case.OriginOf(file, i))], output.Records.Select(r => r.Origin));
    }

    [Fact]
    public async Task Source_EmptyInput_SendsAndRejectsNothing()
    {
        var file = InputFile();
        await Case.WriteAsync(file, []);

        var output = await ReadAsync(file);

        Assert.Empty(output.Records);
        Assert.Empty(output.Rejections);
    }

    [Fact]
    public async Task Source_Folder_ReadsEveryFileInNameOrder()
    {
        await Case.WriteAsync(InputFile("b"), [new(3, "cy")]);
        await Case.WriteAsync(InputFile("a"), [new(1, "ada"), new(2, "bob")]);

        var output = await ReadAsync(Folder.PathOf("in"));

        Assert.Equal([1L, 2L, 3L], output.Values("id"));
    }

    [Fact]
    public async Task Source_Glob_ReadsOnlyTheMatchingFiles()
    {
        await Case.WriteAsync(InputFile("orders-1"), [new(1, "ada")]);
        await Case.WriteAsync(InputFile("orders-2"), [new(2, "bob")]);
        await Case.WriteAsync(InputFile("customers"), [new(3, "cy")]);

        var output = await ReadAsync(Path.Combine(Folder.PathOf("in"), "orders-*" + Case.Extension));

        Assert.Equal([1L, 2L], output.Values("id"));
    }

    [Fact]
    public async Task Source_NoMatchingFile_ThrowsNamingThePath()
    {
        var missing = InputFile("missing");

        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => ReadAsync(missing));

        Assert.Equal($"no input file matches '{missing}'", e.Message);
    }

    [Fact]
    public async Task Source_CancelledWhileReading_StopsBeforeTheEnd()
    {
        const int Rows = 5_000;
        var file = InputFile();
        await Case.WriteAsync(file, [.. Enumerable.Range(1, Rows).Select(i => new SampleRow(i, $"name {i}"))]);
        using var cancel = new CancellationTokenSource();
        var output = new CollectingOutput { OnRecord = _ => cancel.Cancel() };
        var source = TestRun.Source(TestRun.Context(Folder, Case.Source(file)));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.ReadAsync(output, cancel.Token));

        Assert.InRange(output.Records.Count, 1, Rows - 1);
    }
}
