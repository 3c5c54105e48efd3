// Writes every record or request that failed as one JSON line, with the reason and where it came from.
using System.Buffers;
using System.Text.Json;
using Etl.Records;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Runtime;

/// <summary>One failed record or request.</summary>
public sealed record DeadLetter
{
    public required string Stage { get; init; }
    public required string Reason { get; init; }
    public string? Origin { get; init; }
    public string? Column { get; init; }
    public string? Value { get; init; }
    public Record? Record { get; init; }
    public string? Raw { get; init; }
    public string? Url { get; init; }
    public int? Status { get; init; }
    public int? Attempts { get; init; }
    public double? ElapsedMs { get; init; }
    public string? Body { get; init; }
}

public sealed class DeadLetterWriter(string folder, string runId, Redactor redactor) : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IStorage _storage = StorageRegistry.For(folder);
    private Stream? _stream;
    // Each letter is written to this buffer, then to the (buffered) file stream: a writer over the stream itself would
    // flush the file, a system call per letter.
    private ArrayBufferWriter<byte> _line = new(LineBytes);
    private const int LineBytes = 1024;
    private const int RetainedLineBytes = 1024 * 1024;
    private Utf8JsonWriter? _writer;
    private long _count;

    public string FilePath { get; } = StorageRegistry.For(folder).Combine(folder, $"{runId}.jsonl");

    public long Count => Interlocked.Read(ref _count);

    public void Write(DeadLetter letter)
    {
        lock (_gate)
        {
            if (_stream is null)
            {
                // Created with the first letter, so a run without failures leaves no file. Writers call from many
                // threads under this lock; on the local disk creating completes at once.
                _stream = _storage.CreateAsync(FilePath, CancellationToken.None).GetAwaiter().GetResult();
                _writer = new Utf8JsonWriter(_line, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            }
            var w = _writer!;
            w.WriteStartObject();
            w.WriteString("stage", letter.Stage);
            w.WriteString("reason", redactor.Redact(letter.Reason));
            WriteOptional(w, "origin", letter.Origin);
            WriteOptional(w, "url", letter.Url);
            if (letter.Status is { } status)
            {
                w.WriteNumber("status", status);
            }
            if (letter.Attempts is { } attempts)
            {
                w.WriteNumber("attempts", attempts);
            }
            if (letter.ElapsedMs is { } elapsed)
            {
                w.WriteNumber("elapsedMs", Math.Round(elapsed, 1));
            }
            WriteOptional(w, "column", letter.Column);
            WriteOptional(w, "value", letter.Value);
            if (letter.Record is not null)
            {
                w.WritePropertyName("record");
                RecordJson.Write(w, letter.Record);
            }
            WriteOptional(w, "raw", letter.Raw);
            WriteOptional(w, "body", letter.Body);
            w.WriteEndObject();
            w.Flush();
            // One JSON value per line: the writer must forget the value it just ended before the next one.
            w.Reset();
            _stream!.Write(_line.WrittenSpan);
            _stream.WriteByte((byte)'\n');
            _line.ResetWrittenCount();
            if (_line.Capacity > RetainedLineBytes)
            {
                // A huge record made the buffer grow: not kept for the letters after it.
                _line = new ArrayBufferWriter<byte>(LineBytes);
                w.Reset(_line);
            }
            _count++;
        }
    }

    private void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, redactor.Redact(value));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
        if (_stream is not null)
        {
            await _stream.FlushAsync();
            await _stream.DisposeAsync();
        }
    }
}
