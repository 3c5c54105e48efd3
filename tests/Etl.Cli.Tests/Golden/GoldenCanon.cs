// Makes run output deterministic text: run ids become run1, run2… in the order the runs started; the work folder, the
// sample API's address, clock times and durations become placeholders; control characters are made visible.
using System.Text;
using System.Text.RegularExpressions;

namespace Etl.Cli.Tests.Golden;

public sealed partial class GoldenCanon
{
    private readonly string _root;
    private readonly string? _api;
    private readonly Dictionary<string, string> _runs = new(StringComparer.Ordinal);

    public GoldenCanon(GoldenRunResult run)
    {
        _root = run.Root;
        _api = run.Api;
        foreach (var step in run.Runs)
        {
            foreach (Match m in RunId().Matches(step.Result.Stderr + step.Result.Stdout))
            {
                _runs.TryAdd(m.Value, $"run{_runs.Count + 1}");
            }
        }
    }

    /// <summary>The placeholder of the run id in <paramref name="text"/> (run1…), or run? for one no step printed.</summary>
    public string RunOf(string text) => RunId().Match(text) is { Success: true } m ? _runs.GetValueOrDefault(m.Value, "run?") : "";

    /// <summary>The text with everything that differs between two identical runs replaced.</summary>
    public string Text(string text)
    {
        text = text.Replace(_root, "<root>", StringComparison.Ordinal);
        if (_api is not null)
        {
            text = text.Replace(_api, "<api>", StringComparison.Ordinal);
        }
        return RunId().Replace(text, m => "<" + _runs.GetValueOrDefault(m.Value, "run?") + ">");
    }

    /// <summary>A log line without its clock time.</summary>
    public string LogLine(string line) => Text(ClockTime().Replace(line, ""));

    /// <summary>A summary line without its duration.</summary>
    public string SummaryLine(string line) => Text(Duration().Replace(line, ", <duration>"));

    /// <summary>A summary line without its count of files, which several writers make more or fewer of.</summary>
    public static string WithoutFileCount(string line) => FileCount().Replace(line, ", files <any>,");

    /// <summary>Carriage returns, tabs and other control characters written as escapes, so a golden file's line ends
    /// and invisible bytes survive editors and git.</summary>
    public static string Visible(string line)
    {
        var text = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.ToString();
    }

    [GeneratedRegex(@"\d{8}T\d{6}Z-[0-9a-f]{8}")]
    private static partial Regex RunId();

    [GeneratedRegex(@"^\d\d:\d\d:\d\d ")]
    private static partial Regex ClockTime();

    [GeneratedRegex(@", files \d+,")]
    private static partial Regex FileCount();

    [GeneratedRegex(@", \d+(\.\d+)?s$")]
    private static partial Regex Duration();
}
