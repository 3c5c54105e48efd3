// etl schema: prints the JSON Schema of the spec format (shipped as pipelines/pipeline.schema.json).
using System.CommandLine;
using Etl.Spec;

namespace Etl.Cli.Commands;

internal static class SchemaCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("schema", """
            Print the JSON Schema of pipeline specs, for editors (VS Code completes and checks specs that name it in "$schema").

            Example:
              etl schema > pipelines/pipeline.schema.json
            """);
        command.SetAction(async _ =>
        {
            await stdout.WriteAsync(SpecSchema.Text);
            return 0;
        });
        return command;
    }
}
