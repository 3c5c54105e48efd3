// One top-level field of a JSON line as read: a scalar unboxed, or where a nested value's text lies.
namespace Etl.Sources;

internal enum JsonFieldKind : byte
{
    Null,
    Nested,
    Long,
    Double,
    True,
    False,
    String,
}

/// <summary>The field's value: <see cref="Long"/> / <see cref="Double"/> / <see cref="String"/> by
/// <see cref="Kind"/>; a nested value (object or array) is the text at <see cref="Start"/> / <see cref="Length"/> in
/// the line; an array's elements are <see cref="ElementCount"/> ranges of the line's elements from
/// <see cref="FirstElement"/> on (-1 for an object).</summary>
internal readonly record struct JsonFieldValue(JsonFieldKind Kind, long Long = 0, double Double = 0, string? String = null, int Start = 0, int Length = 0,
    int FirstElement = 0, int ElementCount = -1);
