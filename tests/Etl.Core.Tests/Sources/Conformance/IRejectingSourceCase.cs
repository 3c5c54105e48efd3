// A source whose format can hold a malformed record (text formats); typed formats such as Parquet cannot.
namespace Etl.Core.Tests.Sources.Conformance;

/// <summary>The rejection a source must report for the malformed record a case wrote.</summary>
public sealed record ExpectedRejection(string Origin, string Raw);

public interface IRejectingSourceCase : ISourceCase
{
    /// <summary>Writes <paramref name="rows"/> with one malformed record between the first and the second, and returns
    /// how the source must report it.</summary>
    Task<ExpectedRejection> WriteWithBadRecordAsync(string file, IReadOnlyList<SampleRow> rows);
}
