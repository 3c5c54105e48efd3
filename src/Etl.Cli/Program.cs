// The etl command: run, validate, schema. Exit codes are documented in --help.
using System.CommandLine;
using Etl.Cli.Commands;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Cli;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] is "run" or "validate" or "plan")
        {
            // Another thread reads the spec's JSON Schema while this one parses the command line and reads the spec
            // (whose loader builds the serializer's view of the components the spec uses on another thread while it
            // checks the spec against the schema).
            // A run also rehearses its source (the HTTP stack, for an HTTP source) meanwhile.
            SpecLoader.WarmUp(rehearseSource: args[0] == "run");
        }
        return await RunAsync(args, Console.Out, Console.Error);
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand($"""
            Etl: pull data out of files and HTTP APIs and land it as Parquet or CSV in a data lake, from a JSON spec.

            Examples:
              etl run pipelines/orders-csv-to-parquet.json --param date=2026-11-28
              etl validate pipelines/*.json
              etl run pipelines/orders-http.json --shards 4 --shard 0 --run-id r1   (then shards 1-3, then:)
              etl commit pipelines/orders-http.json --shards 4 --run-id r1
              etl schema > pipelines/pipeline.schema.json

            {ExitCode.Help}
            """)
        {
            RunCommand.Create(stdout, stderr),
            CommitCommand.Create(stdout, stderr),
            ValidateCommand.Create(stdout, stderr),
            PlanCommand.Create(stdout, stderr),
            SchemaCommand.Create(stdout),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"etl: {error.Message}");
            }
            await stderr.WriteLineAsync("Run 'etl --help' for usage.");
            return ExitCode.InvalidSpec;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, cancellationToken);
    }
}
