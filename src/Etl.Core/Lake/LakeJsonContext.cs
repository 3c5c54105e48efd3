// The lake files' System.Text.Json metadata (manifests, commit log entries, shard manifests, state), generated at build
// time: every run writes and reads them, and reflection over the records cost each run its own JIT work.
using System.Text.Json.Serialization;

namespace Etl.Lake;

[JsonSerializable(typeof(RunManifest))]
[JsonSerializable(typeof(LogEntry))]
[JsonSerializable(typeof(ShardManifest))]
[JsonSerializable(typeof(IncrementalState))]
internal sealed partial class LakeJsonContext : JsonSerializerContext;
