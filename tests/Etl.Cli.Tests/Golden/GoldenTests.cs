// Differential golden test: every example pipeline and every spec of Golden/Corpus runs through the real etl, and what
// a user sees (rows and types, file layout, manifest, dead letters, counters, log lines) must equal its checked-in
// NAME.golden.txt. Regenerate the golden files, after a deliberate change of behaviour only, with
//   ETL_UPDATE_GOLDEN=1 dotnet test tests/Etl.Cli.Tests --filter FullyQualifiedName~Golden
// and review their diff; a normal run never writes one, and a missing golden file fails.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Golden;

public sealed class GoldenTests
{
    public static TheoryData<string> Examples => [.. GoldenCase.ExampleNames()];

    [Theory]
    [MemberData(nameof(Examples))]
    public Task ExamplePipeline_RunAsShipped_MatchesItsGoldenSnapshot(string name) => GoldenVerifier.VerifyAsync(GoldenCase.Example(name));

    [Fact]
    public void GoldenFolders_HoldOnlyFilesOfKnownCases()
    {
        var corpus = GoldenCase.CorpusNames().ToHashSet(StringComparer.Ordinal);
        var examples = GoldenCase.ExampleNames().ToHashSet(StringComparer.Ordinal);
        var strays = Directory.GetFiles(GoldenCase.CorpusFolder).Select(f => (Set: corpus, File: f))
            .Concat(Directory.GetFiles(GoldenCase.ExamplesFolder).Select(f => (Set: examples, File: f)))
            .Where(x => !x.Set.Contains(Path.GetFileName(x.File).Split('.')[0]))
            .Select(x => Path.GetRelativePath(Repo.Root, x.File))
            .ToList();

        Assert.Equal([], strays);
    }
}
