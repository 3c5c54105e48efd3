// etl validate: checks specs without running them and reports every problem with file, line, column and JSON path.
using System.CommandLine;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Cli.Commands;

internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var specs = CommonOptions.Specs();
        var param = CommonOptions.Param();
        var command = new Command("validate", """
            Check specs without running them: JSON syntax, the JSON Schema, parameters and expressions.
            Every problem is reported, each with file:line:column and JSON path.

            Example:
              etl validate pipelines/orders-csv-to-parquet.json --param date=2026-11-28
            """) { specs, param };
        command.SetAction(async parse =>
        {
            var exit = ExitCode.Success;
            foreach (var path in parse.GetValue(specs) ?? [])
            {
                try
                {
                    var loaded = SpecLoader.Load(path, CommonOptions.ParseParams(parse.GetValue(param)));
                    await stdout.WriteLineAsync($"{path}: ok ({loaded.Spec.Name})");
                    foreach (var note in RemovedColumns.Notes(loaded))
                    {
                        await stdout.WriteLineAsync(note);
                    }
                }
                catch (SpecException e)
                {
                    foreach (var error in e.Errors)
                    {
                        await stderr.WriteLineAsync(error.ToString());
                    }
                    exit = ExitCode.InvalidSpec;
                }
            }
            return exit;
        });
        return command;
    }
}
