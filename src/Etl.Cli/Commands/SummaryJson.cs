// JSON settings of --summary-json output.
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Etl.Runtime;

namespace Etl.Cli.Commands;

internal static class SummaryJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        // The status converter by name, so its code is compiled ahead of time; the factory serves any other enum.
        Converters = { new JsonStringEnumConverter<RunStatus>(JsonNamingPolicy.CamelCase), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        IgnoreReadOnlyProperties = false,
        // Metadata generated at build time: writing the summary at the end of a run needs no reflection and no JIT.
        TypeInfoResolver = JsonTypeInfoResolver.Combine(SummaryJsonContext.Default, new DefaultJsonTypeInfoResolver()),
    };
}
