// JSON settings of --summary-json output.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Etl.Cli.Commands;

internal static class SummaryJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        IgnoreReadOnlyProperties = false,
    };
}
