// Checks a large response body as it arrives, chunk by chunk: valid JSON to its last byte, where the records array at
// recordPath starts and ends, and everything around that array (cursors, totals, links) as a small document.
using System.Buffers;
using System.Text.Json;
using Etl.Records;

namespace Etl.Sources.Http;

/// <summary>
/// One pass over a body too large to hold: <see cref="Feed"/> each chunk in order, then <see cref="Finish"/>.
/// The records array is not parsed here, only tokenized (which validates it); its items are read from the spilled copy
/// once the whole body is known to be good, so a body that breaks half way never lets a record through.
/// </summary>
internal sealed class BodyScan
{
    private static readonly JsonReaderOptions Options = JsonReading.Options;

    private readonly string[]? _path;
    private readonly ArrayBufferWriter<byte> _envelope = new(4096);
    private byte[] _pending = [];
    private int _pendingLength;
    private JsonReaderState _state = new(Options);
    private long _offset;
    // Depth of the innermost open object that lies on recordPath (the root is depth 0); -1 before the root.
    private int _onPathDepth = -1;
    // Set by a property name that continues recordPath: the depth of the value that follows it; -1 otherwise.
    private int _nameMatched = -1;
    private int _targetDepth = -1;
    private bool _sawToken;

    /// <param name="recordPath">Where the records are; null: the body is the array. A path with [n] indexes is not
    /// followed (the body is then kept whole, as small bodies are).</param>
    public BodyScan(RecordPath? recordPath)
    {
        _path = recordPath is null ? []
            : recordPath.Text.Contains('[', StringComparison.Ordinal) || recordPath.Text.StartsWith('$') ? null
            : recordPath.Text.Split('.');
    }

    /// <summary>Byte offset of the records array's '[' in the body; -1 when the value at recordPath is not an array.</summary>
    public long ArrayStart { get; private set; } = -1;

    /// <summary>Byte offset of the records array's ']' in the body.</summary>
    public long ArrayEnd { get; private set; } = -1;

    /// <summary>The body without the records array's items (so "data": []), or the whole body when it has no records array.</summary>
    public ReadOnlyMemory<byte> Envelope => _envelope.WrittenMemory;

    /// <summary>Tokenizes <paramref name="chunk"/>, the next bytes of the body. Throws <see cref="JsonException"/> when they are not JSON.</summary>
    public void Feed(ReadOnlySpan<byte> chunk) => Scan(chunk, final: false);

    /// <summary>Ends the body: throws <see cref="JsonException"/> when it stopped inside a value or held nothing.</summary>
    public void Finish()
    {
        Scan([], final: true);
        if (!_sawToken)
        {
            throw new JsonException("empty JSON document");
        }
    }

    private void Scan(ReadOnlySpan<byte> chunk, bool final)
    {
        ReadOnlySpan<byte> data;
        if (_offset == 0 && _pendingLength == 0 && Utf8Bom.LengthAt(chunk) is > 0 and var bom)
        {
            // A byte order mark before the document: offsets still count it, as the spilled copy holds it.
            data = chunk[bom..];
            _offset = bom;
        }
        else if (_pendingLength == 0)
        {
            data = chunk;
        }
        else
        {
            Append(chunk);
            data = _pending.AsSpan(0, _pendingLength);
        }
        var reader = new Utf8JsonReader(data, final, _state);
        // Where the bytes not yet copied to the envelope start; -1 inside the records array, whose items are left out.
        var copyFrom = _targetDepth >= 0 ? -1 : 0;
        while (reader.Read())
        {
            var at = (int)reader.TokenStartIndex;
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    _nameMatched = _targetDepth < 0 && _path is { } path && depth - 1 == _onPathDepth && depth <= path.Length
                        && reader.ValueTextEquals(path[depth - 1]) ? depth : -1;
                    continue;
                case JsonTokenType.StartArray when IsTarget(depth):
                    // The records array: its "[" is copied, its items skipped; the "]" is copied with what follows it.
                    _envelope.Write(data[copyFrom..(at + 1)]);
                    copyFrom = -1;
                    _targetDepth = depth;
                    ArrayStart = _offset + at;
                    break;
                case JsonTokenType.EndArray when depth == _targetDepth:
                    _targetDepth = -1;
                    ArrayEnd = _offset + at;
                    copyFrom = at;
                    break;
                case JsonTokenType.StartObject when _targetDepth < 0 && !IsTarget(depth) && IsOnPath(depth):
                    _onPathDepth = depth;
                    break;
                case JsonTokenType.EndObject when _targetDepth < 0 && depth == _onPathDepth:
                    _onPathDepth--;
                    break;
                case not (JsonTokenType.EndArray or JsonTokenType.EndObject) when IsTarget(depth):
                    // Something other than an array at recordPath (an object, null): the body is kept whole.
                    ArrayStart = ArrayEnd = -1;
                    break;
            }
            _nameMatched = -1;
            _sawToken = true;
        }
        var consumed = final ? data.Length : (int)reader.BytesConsumed;
        if (copyFrom >= 0)
        {
            _envelope.Write(data[copyFrom..consumed]);
        }
        _state = reader.CurrentState;
        _offset += consumed;
        Keep(data[consumed..]);
    }

    /// <summary>Whether a value starting at <paramref name="depth"/> is the one at recordPath (the root when there is no path).</summary>
    private bool IsTarget(int depth) => _path is { } path && _targetDepth < 0
        && (path.Length == 0 ? depth == 0 && !_sawToken : _nameMatched == depth && depth == path.Length);

    /// <summary>Whether an object starting at <paramref name="depth"/> lies on recordPath: the root, or named by the path so far.</summary>
    private bool IsOnPath(int depth) => _path is { } path && (depth == 0 ? path.Length > 0 : _nameMatched == depth);

    private void Append(ReadOnlySpan<byte> chunk)
    {
        if (_pendingLength + chunk.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pendingLength + chunk.Length, _pending.Length * 2));
        }
        chunk.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += chunk.Length;
    }

    /// <summary>Keeps the bytes of a token cut by the chunk's end for the next chunk.</summary>
    private void Keep(ReadOnlySpan<byte> rest)
    {
        if (rest.Length > _pending.Length)
        {
            _pending = new byte[Math.Max(rest.Length, 4096)];
        }
        rest.CopyTo(_pending);
        _pendingLength = rest.Length;
    }
}
