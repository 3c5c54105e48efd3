// Differential golden test: every example pipeline and every spec of Golden/Corpus runs through the real etl, and what
// a user sees (rows and types, file layout, manifest, dead letters, counters, log lines) must equal its checked-in
// NAME.golden.txt. Regenerate the golden files, after a deliberate change of behaviour only, with
//   ETL_UPDATE_GOLDEN=1 dotnet test tests/Etl.Cli.Tests --filter FullyQualifiedName~Golden
// and review their diff; a normal run never writes one, and a missing golden file fails.
// What is compared: each run's exit code, summary and log lines; the files left (data files named by run and rank, not
// by their random names); each sink's manifest without times, hashes, sizes and Etl version; every Parquet file's row
// groups, codec, Parquet schema, DuckDB column types and rows; every CSV file's exact text; the dead letters, sorted.
// Row order: with one writer the order inside a file is part of what users see and is kept. A case whose NAME.steps says
// `unordered` (several writers, concurrent HTTP requests) compares the rows of each partition folder sorted and does not
// pin how many files they land in. See GoldenCase for the NAME.steps format (run, copy, duckdb).
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
