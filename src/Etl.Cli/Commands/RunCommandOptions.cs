// The options of etl run, with their help texts and defaults.
using System.CommandLine;

namespace Etl.Cli.Commands;

internal sealed class RunCommandOptions
{
    public const int DefaultPlainIntervalSeconds = 5;

    public Argument<string[]> Specs { get; } = CommonOptions.Specs();

    public Option<string[]> Param { get; } = CommonOptions.Param();

    public Option<FileInfo?> SummaryJson { get; } = new("--summary-json") { Description = "Write the run summaries (counts, files, status) as JSON to this file.", HelpName = "file" };

    public Option<string> Progress { get; } = new Option<string>("--progress")
    {
        Description = "auto (default: live display on a terminal, plain lines otherwise), live, plain (a line every few seconds on stderr) or none.",
        DefaultValueFactory = _ => "auto",
    }.AcceptOnlyFromAmong("auto", "live", "plain", "none");

    public Option<int> Interval { get; } = new("--progress-interval")
    {
        Description = $"Seconds between plain progress lines. Default {DefaultPlainIntervalSeconds}.",
        DefaultValueFactory = _ => DefaultPlainIntervalSeconds,
    };

    public Option<string> LogFormat { get; } = new Option<string>("--log-format")
    {
        Description = "text (default: \"12:01:03 info  …\" lines) or json: structured log events, one JSON object a line, on stderr.",
        DefaultValueFactory = _ => "text",
    }.AcceptOnlyFromAmong("text", "json");

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Print only errors and the final summary." };

    public Option<bool> FullRefresh { get; } = new("--full-refresh") { Description = "Ignore the incremental state (_state.json): read from the source's \"initial\" cursor again." };

    public ShardOptions Sharding { get; } = new();

    public void AddTo(Command command)
    {
        Sharding.AddTo(command, withIndex: true);
        command.Arguments.Add(Specs);
        foreach (Option option in new Option[] { Param, SummaryJson, Progress, Interval, LogFormat, Quiet, FullRefresh })
        {
            command.Options.Add(option);
        }
    }
}
