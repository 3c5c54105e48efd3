// Runs one golden case and compares its snapshot with the golden file, or writes the golden file when ETL_UPDATE_GOLDEN=1.
using Etl.Cli.Tests.TestSupport;
using Etl.SampleApi;

namespace Etl.Cli.Tests.Golden;

public static class GoldenVerifier
{
    public static async Task VerifyAsync(GoldenCase golden)
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
        var relative = Path.GetRelativePath(Repo.Root, golden.GoldenPath);
        Assert.True(File.Exists(golden.GoldenPath),
            $"{golden.Name}: no golden file {relative}; create it with {GoldenSnapshot.UpdateVariable}=1 and review it\n{fresh}");
        var expected = (await File.ReadAllTextAsync(golden.GoldenPath)).ReplaceLineEndings("\n");
        Assert.True(expected == fresh, $"{golden.Name}: the run differs from {relative}\n{GoldenDiff.Describe(expected, fresh)}");
    }
}
