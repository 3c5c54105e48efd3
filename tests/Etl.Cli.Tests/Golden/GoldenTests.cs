// Differential golden test: every example pipeline and every spec of Golden/Corpus runs through the real etl, and what
// a user sees (rows and types, file layout, manifest, dead letters, counters, log lines) must equal its checked-in
// NAME.golden.txt. Regenerate the golden files, after a deliberate change of behaviour only, with
// ETL_UPDATE_GOLDEN=1 dotnet test tests/Etl.Cli.Tests --filter FullyQualifiedName~Golden
// and review their diff; a normal run never writes one, and a missing golden file fails.
using Etl.Cli.Tests.TestSupport;
using Etl.SampleApi;

namespace Etl.Cli.Tests.Golden;

public sealed class GoldenTests
{
    public static TheoryData<string> Examples => [.. GoldenCase.ExampleNames()];

    public static TheoryData<string> Corpus => [.. GoldenCase.CorpusNames()];

    [Theory]
    [MemberData(nameof(Examples))]
    public Task ExamplePipeline_RunAsShipped_MatchesItsGoldenSnapshot(string name) => VerifyAsync(GoldenCase.Example(name));

    [Theory]
    [MemberData(nameof(Corpus))]
    public Task CorpusPipeline_Run_MatchesItsGoldenSnapshot(string name) => VerifyAsync(GoldenCase.Corpus(name));

    [Fact]
    public void GoldenFolders_HoldOnlyFilesOfKnownCases()
    {
        var corpus = GoldenCase.CorpusNames().ToHashSet(StringComparer.Ordinal);
        var examples = GoldenCase.ExampleNames().ToHashSet(StringComparer.Ordinal);
        var strays = Directory.GetFiles(GoldenCase.CorpusFolder).Select(f => (Set: corpus, File: f))
            .Concat(Directory.GetFiles(GoldenCase.ExamplesFolder).Select(f => (Set: examples, File: f)))
            .Where(x => !x.Set.Contains(CaseOf(Path.GetFileName(x.File))))
            .Select(x => Path.GetRelativePath(Repo.Root, x.File))
            .ToList();

        Assert.Equal([], strays);
    }

    private static string CaseOf(string file) => file.Split('.')[0];

    private static async Task VerifyAsync(GoldenCase golden)
    {
        using var folder = new TestFolder();
        await using var server = golden.NeedsApi ? await SampleApiServer.StartAsync(new SampleApiOptions()) : null;
        var api = server?.BaseAddress.ToString().TrimEnd('/');
        var run = await GoldenRun.RunAsync(golden, folder, api);
        var fresh = GoldenSnapshot.Render(golden, run);

        if (Environment.GetEnvironmentVariable(GoldenSnapshot.UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(golden.GoldenPath, fresh);
            return;
        }
        Assert.True(File.Exists(golden.GoldenPath),
            $"{golden.Name}: no golden file {Path.GetRelativePath(Repo.Root, golden.GoldenPath)}; create it with {GoldenSnapshot.UpdateVariable}=1 and review it\n{fresh}");
        var expected = (await File.ReadAllTextAsync(golden.GoldenPath)).ReplaceLineEndings("\n");
        Assert.True(expected == fresh, $"{golden.Name}: the run differs from {Path.GetRelativePath(Repo.Root, golden.GoldenPath)}\n{GoldenDiff.Describe(expected, fresh)}");
    }
}
