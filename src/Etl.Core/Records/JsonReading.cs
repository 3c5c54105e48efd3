// How every reader of input data (JSON Lines, JSON files, HTTP bodies) tokenizes JSON: as RFC 8259 writes it.
using System.Text.Json;

namespace Etl.Records;

public static class JsonReading
{
    /// <summary>No comments and no trailing commas (text such as <c>{"a": 1,}</c> or <c>{"a": 1} // note</c> is not
    /// JSON, as Python's json, DuckDB and Spark read it), nesting up to 64 levels.</summary>
    public static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 64 };
}
