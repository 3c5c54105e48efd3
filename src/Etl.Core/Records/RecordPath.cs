// Dotted paths into nested records: "customer.country", "items[0].sku", "$request.id", "$parent.name".
namespace Etl.Records;

public sealed class RecordPath
{
    private readonly Segment[] _segments;
    private readonly bool _request;
    private readonly string? _parentField;

    private RecordPath(string text, Segment[] segments, bool request, string? parentField = null)
    {
        Text = text;
        _segments = segments;
        _request = request;
        _parentField = parentField;
    }

    public string Text { get; }

    /// <summary>The first name of the path, the top-level field it reads.</summary>
    public string Root => _segments[0].Name!;

    /// <summary>The steps of a path into a document, a name or an array index each; null for <c>$request.</c> and
    /// <c>$parent.</c> paths, which read no document.</summary>
    internal IReadOnlyList<(string? Name, int Index)>? Steps =>
        _request || _parentField is not null ? null : [.. _segments.Select(s => (s.Name, s.Index))];

    public bool IsSimple => !_request && _parentField is null && _segments.Length == 1 && _segments[0].Name is not null;

    private readonly record struct Segment(string? Name, int Index);

    public static RecordPath Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var request = false;
        var body = text;
        // A carried field is named as its parent's path was written ("$parent.address.city"): one key, not a walk.
        string? parentField = text.StartsWith("$parent.", StringComparison.Ordinal) ? text["$parent.".Length..] : null;
        if (parentField is not null)
        {
            body = parentField;
        }
        if (text.StartsWith("$request.", StringComparison.Ordinal))
        {
            request = true;
            body = text["$request.".Length..];
        }
        var segments = new List<Segment>();
        var i = 0;
        while (i < body.Length)
        {
            if (body[i] == '[')
            {
                var close = body.IndexOf(']', i);
                if (close < 0 || !int.TryParse(body.AsSpan(i + 1, close - i - 1), out var index) || index < 0)
                {
                    throw new FormatException($"path '{text}': expected [n] with a non-negative index at position {i}");
                }
                segments.Add(new Segment(null, index));
                i = close + 1;
                if (i < body.Length && body[i] == '.')
                {
                    i++;
                }
                continue;
            }
            var end = i;
            while (end < body.Length && body[end] != '.' && body[end] != '[')
            {
                end++;
            }
            if (end == i)
            {
                throw new FormatException($"path '{text}': empty name at position {i}");
            }
            segments.Add(new Segment(body[i..end], -1));
            i = end < body.Length && body[end] == '.' ? end + 1 : end;
        }
        if (segments.Count == 0 || segments[0].Name is null)
        {
            throw new FormatException($"path '{text}': must start with a field name");
        }
        return new RecordPath(text, [.. segments], request, parentField);
    }

    public object? Read(Record record)
    {
        if (_parentField is not null)
        {
            return record.Parent is not null && record.Parent.TryGetValue(_parentField, out var carried) ? carried : null;
        }
        if (_request)
        {
            return record.Request is not null && record.Request.TryGetValue(_segments[0].Name!, out var v) ? v : null;
        }
        object? current = record;
        foreach (var segment in _segments)
        {
            current = segment.Name is not null
                ? current is Record r ? r[segment.Name] : null
                : current is IReadOnlyList<object?> list && segment.Index < list.Count ? list[segment.Index] : null;
            if (current is null)
            {
                return null;
            }
        }
        return current;
    }

    /// <summary>Whether the path reads the record's own fields (not <c>$request.</c> or <c>$parent.</c>).</summary>
    public bool ReadsFields => !_request && _parentField is null;

    /// <summary>What <see cref="Read"/> gives for a record whose field <see cref="Root"/> holds
    /// <paramref name="rootValue"/> (null when the record lacks it): the rest of the path walked from there.</summary>
    public object? ReadBelowRoot(object? rootValue)
    {
        if (!ReadsFields)
        {
            throw new InvalidOperationException($"path '{Text}' reads no record field");
        }
        var current = rootValue;
        for (var i = 1; i < _segments.Length && current is not null; i++)
        {
            var segment = _segments[i];
            current = segment.Name is not null
                ? current is Record r ? r[segment.Name] : null
                : current is IReadOnlyList<object?> list && segment.Index < list.Count ? list[segment.Index] : null;
        }
        return current;
    }

    /// <summary>The number of names and indexes in the path.</summary>
    public int Length => _segments.Length;

    public override string ToString() => Text;
}
