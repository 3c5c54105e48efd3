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
        var command = new Command("plan", """
            Print the TPL Dataflow mesh a spec would run, without running it: each block, its kind,
            MaxDegreeOfParallelism, BoundedCapacity, batch size, the sinks and their paths after parameter
            substitution (secrets shown as ***), and how many requests an HTTP source starts with.

            Examples:
              etl plan pipelines/orders-csv-to-parquet.json --param date=2026-11-28
              etl plan pipelines/orders-csv-to-parquet.json --format mermaid
            """) { specs, param, format };
        command.SetAction(async parse =>
        {
            try
            {
                var overrides = CommonOptions.ParseParams(parse.GetValue(param));
                foreach (var path in parse.GetValue(specs) ?? [])
                {
                    var plan = await MeshPlan.DescribeAsync(SpecLoader.Load(path, overrides), CancellationToken.None);
                    await stdout.WriteAsync(parse.GetValue(format) == "mermaid" ? plan.ToMermaid() : plan.ToText());
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
