// Every file source under the conformance suite, one line each: a new source adds its case and one line here.
namespace Etl.Core.Tests.Sources.Conformance;

public sealed class CsvSourceConformance : RejectingSourceConformance<CsvSourceCase>;

public sealed class JsonLinesSourceConformance : RejectingSourceConformance<JsonLinesSourceCase>;

public sealed class JsonSourceConformance : RejectingSourceConformance<JsonSourceCase>;

// Parquet is typed and checksummed: a file holds no malformed record to reject, so it runs the common suite only.
public sealed class ParquetSourceConformance : SourceConformance<ParquetSourceCase>;
