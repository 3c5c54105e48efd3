// etl plan: prints the mesh a spec would run (blocks, options, sinks, requests) without running it.
using System.CommandLine;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Cli.Commands;

internal static class PlanCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var specs = CommonOptions.Specs();
        var param = CommonOptions.Param();
        var format = new Option<string>("--format")
        {
            Description = "text (default) or mermaid (a flowchart for docs).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "mermaid");
        var shards = new Option<int?>("--shards") { Description = "Also show each shard's share of the work when the run is split into N shards.", HelpName = "N" };
        var shard = new Option<int?>("--shard") { Description = "With --shards: show only this shard's share (0 to N-1).", HelpName = "I" };
        var command = new Command("plan", """
            Print the TPL Dataflow mesh a spec would run, without running it: each block, its kind,
            MaxDegreeOfParallelism, BoundedCapacity, batch size, the sinks and their paths after parameter
            substitution (secrets shown as ***), and how many requests an HTTP source starts with.

            Examples:
              etl plan pipelines/orders-csv-to-parquet.json --param date=2026-11-28
              etl plan pipelines/orders-csv-to-parquet.json --format mermaid
              etl plan pipelines/orders-http.json --shards 4 --shard 2
            """) { specs, param, format, shards, shard };
        command.SetAction(async parse =>
        {
            try
            {
                var overrides = CommonOptions.ParseParams(parse.GetValue(param));
                var (count, index) = (parse.GetValue(shards), parse.GetValue(shard));
                if (count is < 1 || (index is not null && (count is null || index < 0 || index >= count)))
                {
                    await stderr.WriteLineAsync(count is null ? "etl plan: --shard goes with --shards N" : $"etl plan: with --shards {count} the shard index is 0 to {count - 1}; got --shards {count} --shard {index}");
                    return ExitCode.InvalidSpec;
                }
                foreach (var path in parse.GetValue(specs) ?? [])
                {
                    var loaded = SpecLoader.Load(path, overrides);
                    var plan = await MeshPlan.DescribeAsync(loaded, CancellationToken.None);
                    await stdout.WriteAsync(parse.GetValue(format) == "mermaid" ? plan.ToMermaid() : plan.ToText());
                    if (count is { } n)
                    {
                        await stdout.WriteAsync(await ShardPreview.DescribeAsync(loaded, n, index, CancellationToken.None));
                    }
                }
                return ExitCode.Success;
            }
            catch (SpecException e)
            {
                foreach (var error in e.Errors)
                {
                    await stderr.WriteLineAsync(error.ToString());
                }
                return ExitCode.InvalidSpec;
            }
        });
        return command;
    }
}
