// The summary records' System.Text.Json metadata, generated at build time for --summary-json.
using System.Text.Json.Serialization;
using Etl.Runtime;

namespace Etl.Cli.Commands;

[JsonSerializable(typeof(List<RunResult>))]
[JsonSerializable(typeof(RunResult[]))]
internal sealed partial class SummaryJsonContext : JsonSerializerContext;
