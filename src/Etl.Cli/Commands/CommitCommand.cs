// etl commit: commits a sharded run once every shard is complete; a run committed already is a no-op.
using System.CommandLine;
using System.Text.Json;
using Etl.Cli.Logging;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Cli.Commands;

internal static class CommitCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var specs = new Argument<string>("spec") { Description = "The pipeline spec the shards ran." };
        var param = CommonOptions.Param();
        var sharding = new ShardOptions();
        var summaryJson = new Option<FileInfo?>("--summary-json") { Description = "Write the commit's summary (summed counts, files, status) as JSON to this file.", HelpName = "file" };
        var command = new Command("commit", $"""
            Commit a sharded run: once the manifests of all N shards are present and complete, sum their counts, apply
            errors.maxFailedRecords / maxFailedRequests to the whole run, take the highest incremental cursor and publish
            the files of every shard in one commit per sink. A missing or failed shard is named and nothing is committed
            (exit 5); a run committed already is left as it is (exit 0). Give the same --param values as the shards.

            Examples:
              etl commit pipelines/orders-http.json --shards 4 --run-id nightly-2026-12-02
              ETL_RUN_ID=3f1c… etl commit pipelines/orders-http.json --shards 4

            {ExitCode.Help}
            """) { specs, param, summaryJson };
        sharding.AddTo(command, withIndex: false);
        command.SetAction(async (parse, token) =>
        {
            LoadedSpec loaded;
            try
            {
                loaded = SpecLoader.Load(parse.GetValue(specs)!, CommonOptions.ParseParams(parse.GetValue(param)));
            }
            catch (SpecException e)
            {
                foreach (var problem in e.Errors)
                {
                    await stderr.WriteLineAsync(problem.ToString());
                }
                return ExitCode.InvalidSpec;
            }
            var shards = parse.GetValue(sharding.Shards);
            var runId = sharding.ResolveRunId(parse, Environment.GetEnvironmentVariable);
            if (shards is not >= 1 || runId is null)
            {
                await stderr.WriteLineAsync(shards is not >= 1
                    ? $"etl commit: --shards N (the number of shards the run was split into, 1 or more) is required; got {shards?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}"
                    : $"etl commit: the run id is required: --run-id ID or ${string.Join(" or $", ShardOptions.RunIdVariables)}");
                return ExitCode.InvalidSpec;
            }
            using var interrupt = new Interrupt(token);
            using var loggerFactory = CliLogging.Create(json: false, quiet: false, new TerminalLog(Console.Error), TimeProvider.System);
            var committer = new ShardCommit(new RunOptions { Logger = loggerFactory.CreateLogger(CliLogging.Category), Checkpoint = TestCheckpoint.FromEnvironment() });
            var result = await committer.CommitAsync(loaded, shards.Value, runId, interrupt.Token);
            await stdout.WriteLineAsync(result.SummaryLine);
            if (result.Note is { } note)
            {
                await stderr.WriteLineAsync($"{loaded.Spec.Name}: {note}");
            }
            if (result.Error is { } error)
            {
                await stderr.WriteLineAsync($"{loaded.Spec.Name}: {error}");
            }
            if (parse.GetValue(summaryJson) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, JsonSerializer.Serialize(new[] { result }, SummaryJson.Options), CancellationToken.None);
            }
            return result.ExitCode;
        });
        return command;
    }
}
