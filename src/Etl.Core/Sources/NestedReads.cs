// Which fields of nested objects the transforms after a source will read: a hint that lets a source read them in its
// own pass over the input instead of leaving them to be found again in the nested text.
namespace Etl.Sources;

/// <summary><see cref="ObjectFields"/>: top-level name → fields read from its object; <see cref="ElementFields"/>:
/// top-level name → fields read from the objects its array holds; <see cref="TopLevel"/>: the top-level names the
/// transforms read (null: any), so a source may keep the text of any other field instead of decoding it. Only what is
/// read changes, never a value.</summary>
public sealed record NestedReads(IReadOnlyDictionary<string, string[]> ObjectFields, IReadOnlyDictionary<string, string[]> ElementFields)
{
    public static NestedReads None { get; } = new(new Dictionary<string, string[]>(), new Dictionary<string, string[]>());

    public IReadOnlySet<string>? TopLevel { get; init; }

    public bool IsEmpty => ObjectFields.Count == 0 && ElementFields.Count == 0 && TopLevel is null;

    /// <summary>Whether the transforms may read the top-level field <paramref name="name"/>.</summary>
    public bool Reads(string name) => TopLevel is null || TopLevel.Contains(name);
}
