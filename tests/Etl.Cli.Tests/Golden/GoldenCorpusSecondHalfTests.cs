// The second half of the corpus (see GoldenCorpusTests): a class of its own so it runs beside the first.
namespace Etl.Cli.Tests.Golden;

public sealed class GoldenCorpusSecondHalfTests
{
    public static TheoryData<string> SecondHalf => [.. GoldenCase.CorpusNames().Where((_, i) => i % 2 == 1)];

    [Theory]
    [MemberData(nameof(SecondHalf))]
    public Task CorpusPipeline_Run_MatchesItsGoldenSnapshot(string name) => GoldenVerifier.VerifyAsync(GoldenCase.Corpus(name));
}
