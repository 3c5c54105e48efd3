// Renders what a user sees after a golden case as deterministic text: each run's exit code and output, the files left,
// each sink's manifest, every row of every data file as DuckDB reads it (CSV as its text), and the dead letters.
using System.Text;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Golden;

public static class GoldenSnapshot
{
    public const string UpdateVariable = "ETL_UPDATE_GOLDEN";

    public static string Render(GoldenCase golden, GoldenRunResult run)
    {
        var canon = new GoldenCanon(run);
        var files = new GoldenFiles(run, canon, golden.Unordered);
        var text = new StringBuilder();
        text.Append("# ").Append(golden.Name).Append(": golden snapshot; regenerate with ").Append(UpdateVariable).Append("=1\n");
        text.Append(golden.Unordered
            ? "# rows: sorted per partition folder (several writers or concurrent requests: any order, any file of the folder)\n"
            : "# rows: in file order, files in name order per partition folder\n");
        foreach (var step in run.Runs)
        {
            RenderRun(text, step, canon, golden.Unordered);
        }
        Section(text, "files");
        foreach (var label in files.Labels())
        {
            text.Append(label).Append('\n');
        }
        using var duck = new GoldenDuckDb();
        foreach (var sink in files.SinkFolders())
        {
            GoldenManifest.Render(text, files, sink, golden.Unordered);
            GoldenData.Render(text, files, sink, golden.Unordered, duck);
        }
        foreach (var path in files.DeadLetterFiles())
        {
            RenderDeadLetters(text, files, canon, path);
        }
        return text.ToString();
    }

    internal static void Section(StringBuilder text, string title) => text.Append("\n== ").Append(title).Append('\n');

    private static void RenderRun(StringBuilder text, GoldenStepResult step, GoldenCanon canon, bool unordered)
    {
        Section(text, canon.Text(step.Step.ToString()));
        text.Append("exit ").Append(step.Result.ExitCode).Append('\n');
        text.Append("stdout:\n");
        foreach (var line in Lines(step.Result.Stdout))
        {
            var summary = canon.SummaryLine(line);
            text.Append("  ").Append(GoldenCanon.Visible(unordered ? GoldenCanon.WithoutFileCount(summary) : summary)).Append('\n');
        }
        text.Append("stderr:\n");
        foreach (var line in Lines(step.Result.Stderr))
        {
            text.Append("  ").Append(GoldenCanon.Visible(canon.LogLine(line))).Append('\n');
        }
    }

    private static void RenderDeadLetters(StringBuilder text, GoldenFiles files, GoldenCanon canon, string path)
    {
        // JSON lines: already free of raw control characters.
        Section(text, $"dead letters {files.Label(path)} (sorted)");
        var letters = File.ReadAllLines(path)
            .Select(l => canon.Text(GoldenFiles.WithoutElapsed(l)))
            .Order(StringComparer.Ordinal);
        foreach (var letter in letters)
        {
            text.Append(letter).Append('\n');
        }
    }

    internal static IEnumerable<string> Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);
}
