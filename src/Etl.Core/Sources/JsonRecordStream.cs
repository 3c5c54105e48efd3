// Reads the records of one JSON document from a stream: the array at a path item by item, in a buffer refilled as it goes.
using System.Text.Json;
using Etl.Records;

namespace Etl.Sources;

/// <summary>Streams one JSON document: the array at <paramref name="path"/> (the document itself when empty) becomes one
/// record per item, read whole, so memory follows the largest item rather than the file; an object there is one record.
/// Everything else in the document is read token by token and only checked to be JSON.</summary>
internal sealed class JsonRecordStream(string file, IReadOnlyList<(string? Name, int Index)> path, string? pathText, NamePool names,
    int bufferSize = JsonRecordStream.DefaultBufferSize)
{
    /// <summary>The first buffer; it doubles while one item (or token) does not fit.</summary>
    public const int DefaultBufferSize = 1 << 18;

    private const int MaxRawBytes = 1024;

    private static readonly JsonReaderOptions Options = JsonReading.Options;

    private enum Phase { Root, Navigate, Items, Trailing, Done }

    // "file:[3]" or "file:data.items[3]": the item's JSON path, as jq would select it.
    private readonly string _itemSeparator = $":{pathText}[";
    private readonly List<Record> _ready = [];
    private byte[] _buffer = new byte[bufferSize];
    private int _start, _end;
    private bool _final;
    private bool _markSkipped;
    private JsonReaderState _state = new(Options);
    private Phase _phase;
    private int _step;
    private int _containerDepth;
    private long _elements;
    private bool _matchNext;
    private int _arrayDepth;
    private long _item;

    /// <summary>Sends every record of the document to <paramref name="output"/>; items that are not objects are rejected.</summary>
    public async Task ReadAsync(Stream stream, ISourceOutput output, Action<long> progress, CancellationToken ct)
    {
        while (true)
        {
            Parse(output);
            foreach (var record in _ready)
            {
                await output.SendAsync(record, ct);
            }
            _ready.Clear();
            if (_phase == Phase.Done)
            {
                return;
            }
            if (_final)
            {
                throw new InvalidDataException($"{file}: invalid JSON: the document ends early"); // the reader throws first
            }
            progress(await FillAsync(stream, ct));
        }
    }

    private async Task<int> FillAsync(Stream stream, CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // one item (or token) larger than the buffer
        }
        var n = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += n;
        _final = n == 0;
        return n;
    }

    /// <summary>Handles every whole token in the buffer; an item cut by the buffer's end is read again after the refill.</summary>
    private void Parse(ISourceOutput output)
    {
        if (!_markSkipped)
        {
            if (_end - _start < Utf8Bom.Bytes.Length && !_final)
            {
                return; // too few bytes yet to tell a byte order mark from the document
            }
            _markSkipped = true;
            _start += Utf8Bom.LengthAt(_buffer.AsSpan(_start, _end - _start));
        }
        if (_final && _phase == Phase.Root && _buffer.AsSpan(_start, _end - _start).Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new InvalidDataException($"{file}: invalid JSON: the file is empty");
        }
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        try
        {
            while (_phase != Phase.Done)
            {
                var checkpoint = reader;
                if (!reader.Read())
                {
                    if (_final)
                    {
                        _phase = Phase.Done;
                    }
                    break;
                }
                if (!Handle(ref reader, output))
                {
                    reader = checkpoint;
                    break;
                }
            }
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
        catch (InvalidOperationException e)
        {
            // The one object of the document holds a string that is no UTF-16 text (a lone surrogate escape).
            throw new InvalidDataException($"{file}: invalid JSON: {e.Message}", e);
        }
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private bool Handle(ref Utf8JsonReader reader, ISourceOutput output) => _phase switch
    {
        Phase.Root when path.Count == 0 => Target(ref reader),
        Phase.Root => Enter(ref reader, 0),
        Phase.Navigate => Navigate(ref reader),
        Phase.Items => Item(ref reader, output),
        _ => true, // after the records: the rest of the document is only checked to be JSON
    };

    /// <summary>Opens the container of path step <paramref name="step"/>, which must be an object for a name and an array for an index.</summary>
    private bool Enter(ref Utf8JsonReader reader, int step)
    {
        var expected = path[step].Name is not null ? JsonTokenType.StartObject : JsonTokenType.StartArray;
        if (reader.TokenType != expected)
        {
            throw NothingAtPath();
        }
        _step = step;
        _containerDepth = reader.CurrentDepth;
        _elements = 0;
        _matchNext = false;
        _phase = Phase.Navigate;
        return true;
    }

    /// <summary>Walks the open container to the value of the current step, skipping every other value token by token.</summary>
    private bool Navigate(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        if (depth == _containerDepth)
        {
            throw NothingAtPath(); // the container closed without the step's name or index
        }
        if (depth > _containerDepth + 1 || reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
        {
            return true; // inside, or at the end of, a value that is not on the path
        }
        var step = path[_step];
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            _matchNext = reader.ValueTextEquals(step.Name);
            return true;
        }
        if (step.Name is not null ? !_matchNext : _elements != step.Index)
        {
            _elements++;
            return true;
        }
        return _step == path.Count - 1 ? Target(ref reader) : Enter(ref reader, _step + 1);
    }

    /// <summary>The value the path leads to: an array streams its items, an object is the one record.</summary>
    private bool Target(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                _arrayDepth = reader.CurrentDepth;
                _phase = Phase.Items;
                return true;
            case JsonTokenType.StartObject:
                if (!RecordJson.TryReadValue(ref reader, names, out var value))
                {
                    return false;
                }
                var single = (Record)value!;
                single.Origin = file;
                _ready.Add(single);
                _phase = Phase.Trailing;
                return true;
            default:
                throw path.Count == 0
                    ? new InvalidDataException($"{file}: expected a JSON array of objects (or set recordPath)")
                    : NothingAtPath();
        }
    }

    private bool Item(ref Utf8JsonReader reader, ISourceOutput output)
    {
        if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == _arrayDepth)
        {
            _phase = Phase.Trailing;
            return true;
        }
        var itemStart = reader;
        object? value;
        try
        {
            if (!RecordJson.TryReadValue(ref reader, names, out value))
            {
                return false;
            }
        }
        catch (InvalidOperationException e)
        {
            reader = itemStart;
            return RejectUndecodable(ref reader, output, e);
        }
        var text = _buffer.AsSpan(_start + (int)itemStart.TokenStartIndex, (int)(reader.BytesConsumed - itemStart.TokenStartIndex));
        if (!Utf8Validity.IsValid(text))
        {
            output.Reject($"{file}{_itemSeparator}{_item}]", Utf8Validity.Describe(text), Raw(text));
        }
        else if (value is Record record)
        {
            record.SetOrigin(file, _item, _itemSeparator, "]");
            _ready.Add(record);
        }
        else
        {
            output.Reject($"{file}{_itemSeparator}{_item}]", "expected a JSON object in the array", RecordJson.Serialize(value));
        }
        _item++;
        return true;
    }

    /// <summary>An item with a string that is no UTF-16 text (a lone surrogate escape, "\uDFAA") is well-formed JSON:
    /// only that item is a dead letter, with its text; false while the item is not all in the buffer yet.</summary>
    private bool RejectUndecodable(ref Utf8JsonReader reader, ISourceOutput output, InvalidOperationException e)
    {
        var from = (int)reader.TokenStartIndex;
        if (!reader.TrySkip())
        {
            return false;
        }
        var text = _buffer.AsSpan(_start + from, (int)reader.BytesConsumed - from);
        output.Reject($"{file}{_itemSeparator}{_item}]", "invalid JSON: " + e.Message, Raw(text));
        _item++;
        return true;
    }

    private static string Raw(ReadOnlySpan<byte> text) => System.Text.Encoding.UTF8.GetString(text[..Math.Min(text.Length, MaxRawBytes)]);

    private InvalidDataException NothingAtPath() => new($"{file}: no array or object at recordPath '{pathText}'");

    /// <summary>"file:12:5: invalid JSON in item [3]: …" with the line and byte column (1-based) the reader stopped at.</summary>
    private InvalidDataException Invalid(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        var where = e.LineNumber is { } line ? $"{file}:{line + 1}:{e.BytePositionInLine + 1}" : file;
        var item = _phase == Phase.Items ? $" in item {pathText}[{_item}]" : "";
        return new InvalidDataException($"{where}: invalid JSON{item}: {message}", e);
    }
}
