// What the sink conformance suite needs to know about one sink: its spec JSON and how DuckDB reads its files.
using Etl.Records;

namespace Etl.Core.Tests.Sinks.Conformance;

public interface ISinkCase
{
    /// <summary>The spec "type" the sink is registered under in <see cref="Components"/>.</summary>
    string Type { get; }

    /// <summary>The ending of the part files the sink writes with its default options (".snappy.parquet").</summary>
    string Extension { get; }

    /// <summary>The sink's spec JSON writing into <paramref name="path"/>, with <paramref name="options"/> (JSON
    /// properties such as <c>"maxRowsPerFile": 2</c>, or empty) added.</summary>
    string Sink(string path, string options);

    /// <summary>A DuckDB FROM clause reading <paramref name="files"/> with the columns of <paramref name="schema"/>
    /// (in its order and types), Hive partition folders as further columns when <paramref name="hive"/>.</summary>
    string Read(IReadOnlyList<string> files, TableSchema schema, bool hive);
}
