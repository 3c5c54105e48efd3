// Every sink under the conformance suite, one line each: a new sink adds its case and one line here.
namespace Etl.Core.Tests.Sinks.Conformance;

public sealed class ParquetSinkConformance : SinkConformance<ParquetSinkCase>;

public sealed class CsvSinkConformance : SinkConformance<CsvSinkCase>;
