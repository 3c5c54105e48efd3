// The corpus specs of Golden/Corpus against their golden files, in two classes: xunit runs the cases of one class one
// after another but two classes side by side, so the halves share the machine's cores.
namespace Etl.Cli.Tests.Golden;

public sealed class GoldenCorpusTests
{
    public static TheoryData<string> FirstHalf => [.. GoldenCase.CorpusNames().Where((_, i) => i % 2 == 0)];

    [Theory]
    [MemberData(nameof(FirstHalf))]
    public Task CorpusPipeline_Run_MatchesItsGoldenSnapshot(string name) => GoldenVerifier.VerifyAsync(GoldenCase.Corpus(name));
}
