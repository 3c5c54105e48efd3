// Options shared by the commands that load specs: --param name=value.
using System.CommandLine;
using Etl.Spec;

namespace Etl.Cli.Commands;

internal static class CommonOptions
{
    public static Option<string[]> Param() => new("--param", "-p")
    {
        Description = "Set a spec parameter: --param date=2026-11-28 (repeatable). The name must be declared in the spec's \"parameters\".",
        HelpName = "name=value",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Argument<string[]> Specs() => new("spec")
    {
        Description = "Pipeline spec files (JSON).",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>Parses name=value pairs; a malformed one is a usage error naming it.</summary>
    public static Dictionary<string, string> ParseParams(string[]? raw)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in raw ?? [])
        {
            var eq = p.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new SpecException([new SpecError("--param", 0, 0, p, "expected name=value")]);
            }
            result[p[..eq].Trim()] = p[(eq + 1)..];
        }
        return result;
    }
}
