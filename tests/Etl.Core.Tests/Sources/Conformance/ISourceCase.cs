// What the source conformance suite needs to know about one file source: how to write its format and name its origins.
namespace Etl.Core.Tests.Sources.Conformance;

/// <summary>One row of the suite's input: every format can carry an integer and a text.</summary>
public sealed record SampleRow(long Id, string Name);

public interface ISourceCase
{
    /// <summary>The spec "type" the source is registered under in <see cref="Components"/>.</summary>
    string Type { get; }

    /// <summary>The file ending the source reads (".csv").</summary>
    string Extension { get; }

    /// <summary>The source's spec JSON reading <paramref name="path"/> (a file, folder or glob).</summary>
    string Source(string path);

    /// <summary>Writes <paramref name="rows"/> to <paramref name="file"/> in the source's format (none: an empty input).</summary>
    Task WriteAsync(string file, IReadOnlyList<SampleRow> rows);

    /// <summary>The origin the source gives the record at <paramref name="index"/> (0-based) of <paramref name="file"/>.</summary>
    string OriginOf(string file, int index);
}
