// The records array of a large response body, read back from its scratch copy once the whole body proved good.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Etl.Records;

namespace Etl.Sources.Http;

/// <summary>The items between <paramref name="arrayStart"/> ('[') and <paramref name="arrayEnd"/> (']') of the body in
/// <paramref name="file"/>, already validated by <see cref="BodyScan"/>; owns and disposes the file.</summary>
internal sealed class SpilledRecords(Stream file, long arrayStart, long arrayEnd) : IDisposable
{
    private const int BufferSize = 128 * 1024;
    private static readonly JsonReaderOptions Options = JsonReading.Options;

    /// <summary>Bytes of the body kept on disk.</summary>
    public long Length => file.Length;

    /// <summary>The items in order, a buffer's worth at a time (a few hundred records), so only those are in memory.</summary>
    public async IAsyncEnumerable<IReadOnlyList<object?>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        file.Position = arrayStart;
        var remaining = arrayEnd + 1 - arrayStart;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var walk = new Walk(new JsonReaderState(Options), new NamePool());
        var length = 0;
        try
        {
            while (!walk.Done)
            {
                if (length == buffer.Length)
                {
                    // One item larger than the buffer: make room for all of it.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await file.ReadAsync(buffer.AsMemory(length, (int)Math.Min(buffer.Length - length, remaining)), cancellationToken);
                if (read == 0 && remaining > 0)
                {
                    throw new IOException("the scratch copy of the response body ended early");
                }
                remaining -= read;
                length += read;
                var items = new List<object?>();
                var consumed = walk.Parse(buffer.AsSpan(0, length), remaining == 0, items);
                if (remaining == 0 && consumed == 0 && !walk.Done)
                {
                    throw new IOException("the scratch copy of the response body does not end its records array");
                }
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
                if (items.Count > 0)
                {
                    yield return items;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose() => file.Dispose();

    /// <summary>Where the walk through the array is between buffers.</summary>
    private sealed class Walk(JsonReaderState state, NamePool names)
    {
        private JsonReaderState _state = state;
        private bool _started;

        public bool Done { get; private set; }

        /// <summary>Reads every whole item in <paramref name="data"/> into <paramref name="items"/>; returns the bytes consumed.</summary>
        public int Parse(ReadOnlySpan<byte> data, bool final, List<object?> items)
        {
            var reader = new Utf8JsonReader(data, final, _state);
            if (!_started)
            {
                if (!reader.Read())
                {
                    return 0;
                }
                _started = true; // the '['
            }
            while (true)
            {
                var before = reader;
                if (!reader.Read())
                {
                    reader = before;
                    break;
                }
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    Done = true;
                    break;
                }
                // An object or array is read only once all of it is in the buffer.
                var probe = reader;
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !probe.TrySkip())
                {
                    reader = before;
                    break;
                }
                items.Add(UnreadableRecord.Read(ref reader, probe, data, names));
            }
            _state = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }
    }
}
