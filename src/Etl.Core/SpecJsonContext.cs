// System.Text.Json metadata of the spec records, generated at build time: made by reflection, it cost every command
// that reads a spec ≈ 0.1 s of start-up (attributes, nullability, an emitted accessor per property).
using System.Text.Json.Serialization;
using Etl.Sinks;
using Etl.Sources;
using Etl.Sources.Http;
using Etl.Spec;
using Etl.Transforms;

namespace Etl;

/// <summary>Every component's spec record (each SpecType of <see cref="Components"/>, which a test checks) and what
/// the records reach only through a converter. A type missing here still loads, through reflection.</summary>
[JsonSerializable(typeof(PipelineSpec))]
[JsonSerializable(typeof(CsvSourceSpec))]
[JsonSerializable(typeof(JsonLinesSourceSpec))]
[JsonSerializable(typeof(JsonSourceSpec))]
[JsonSerializable(typeof(ParquetSourceSpec))]
[JsonSerializable(typeof(HttpSourceSpec))]
[JsonSerializable(typeof(ValueSetSpecConverter.ValueSetObject))]
[JsonSerializable(typeof(SelectTransformSpec))]
[JsonSerializable(typeof(RenameTransformSpec))]
[JsonSerializable(typeof(DropTransformSpec))]
[JsonSerializable(typeof(CastTransformSpec))]
[JsonSerializable(typeof(FilterTransformSpec))]
[JsonSerializable(typeof(DeriveTransformSpec))]
[JsonSerializable(typeof(ExplodeTransformSpec))]
[JsonSerializable(typeof(ParquetSinkSpec))]
[JsonSerializable(typeof(CsvSinkSpec))]
internal sealed partial class SpecJsonContext : JsonSerializerContext;
