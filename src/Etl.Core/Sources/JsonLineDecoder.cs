// Parses one chunk of JSON lines (on any thread) into column batches of the records and the lines it rejects.
using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources;

/// <summary>A line that is not a JSON object, as the source reports it.</summary>
internal sealed record JsonLineRejection(string Origin, string Reason, string Raw);

/// <summary>What one chunk became: its rejected lines, and its records as batches in line order (column form for runs
/// of records of one shape, record form for short runs, which the mesh gathers into larger chunks).</summary>
internal sealed record DecodedChunk(IReadOnlyList<JsonLineRejection> Rejections, IReadOnlyList<ColumnBatch> Batches);

internal sealed class JsonLineDecoder(int batchRows, NestedReads reads)
{
    /// <summary>Fewer records of one shape in a row than this go as records: a column batch per handful of rows
    /// would cost more than it saves.</summary>
    private const int MinColumnRows = 32;
    private const int MaxShapes = 64;
    private const int MaxRawBytes = 1024;

    private readonly ConcurrentBag<JsonLineFields> _readers = [];
    private readonly List<string[]> _shapes = [];

    /// <summary>Parses every line of <paramref name="chunk"/>; gives its buffer back to the pool unless a batch keeps
    /// nested values in it.</summary>
    public DecodedChunk Decode(JsonLineChunk chunk)
    {
        // A line reader (with its name pool) serves one thread at a time; a few of them serve every worker.
        var fields = _readers.TryTake(out var reader) ? reader : new JsonLineFields(reads);
        var names = fields.Pool;
        var batches = new List<ColumnBatch>();
        var rejections = new List<JsonLineRejection>();
        JsonLineRun? run = null;
        var keepBytes = false;
        try
        {
            var all = chunk.Bytes.AsSpan(0, chunk.Length);
            var allUtf8 = Utf8Validity.IsValid(all); // lines are checked one by one only in a chunk that is not
            var offset = 0;
            for (var line = chunk.FirstLine; offset < all.Length; line++)
            {
                var lineStart = offset;
                var end = all[offset..].IndexOf((byte)'\n');
                var bytes = (end < 0 ? all[offset..] : all.Slice(offset, end)).TrimEnd((byte)'\r');
                offset = end < 0 ? all.Length : offset + end + 1;
                if (bytes.Trim((byte)' ').IsEmpty)
                {
                    continue;
                }
                if (!allUtf8 && !Utf8Validity.IsValid(bytes))
                {
                    keepBytes |= AddRun(chunk.File, ref run, batches);
                    rejections.Add(new JsonLineRejection($"{chunk.File}:{line}", Utf8Validity.Describe(bytes), Raw(bytes)));
                    continue;
                }
                if (fields.TryRead(bytes))
                {
                    if (run is not null && (run.Rows == batchRows || !run.Fits(fields)))
                    {
                        keepBytes |= AddRun(chunk.File, ref run, batches);
                    }
                    run ??= new JsonLineRun(fields, Canonical(fields.Names), chunk.Bytes, Math.Min(batchRows, RowsLeft(chunk, line)));
                    run.Add(fields, lineStart, line);
                }
                else if (ParseLine(bytes, chunk.File, line, names, rejections) is { } record)
                {
                    // Not read as fields but parsed by the record path: kept as it is, in its place.
                    keepBytes |= AddRun(chunk.File, ref run, batches);
                    batches.Add(ColumnBatch.FromRecords([record]));
                }
            }
            keepBytes |= AddRun(chunk.File, ref run, batches);
        }
        finally
        {
            _readers.Add(fields);
            if (!keepBytes)
            {
                ArrayPool<byte>.Shared.Return(chunk.Bytes);
            }
        }
        return new DecodedChunk(rejections, batches);
    }

    /// <summary>Adds the run as a batch; true when the batch refers to the chunk's bytes.</summary>
    private static bool AddRun(string file, ref JsonLineRun? run, List<ColumnBatch> batches)
    {
        if (run is null)
        {
            return false;
        }
        var batch = run.Build(file);
        var columns = run.Rows >= MinColumnRows;
        batches.Add(columns ? batch : ColumnBatch.FromRecords(batch.ToRecords()));
        var usesText = columns && run.UsesText;
        run = null;
        return usesText;
    }

    /// <summary>Rows a run from <paramref name="line"/> on can have at most: the chunk's lines from there (so a run's
    /// arrays are made once, at their size).</summary>
    private static int RowsLeft(JsonLineChunk chunk, long line) => (int)(chunk.FirstLine + chunk.Lines - line);

    private static Record? ParseLine(ReadOnlySpan<byte> bytes, string file, long line, NamePool names, List<JsonLineRejection> rejections)
    {
        var trimmed = bytes.TrimEnd((byte)'\r');
        if (trimmed.Trim((byte)' ').IsEmpty)
        {
            return null;
        }
        try
        {
            if (RecordJson.Parse(trimmed, names) is Record r)
            {
                r.SetOrigin(file, line);
                return r;
            }
            rejections.Add(new JsonLineRejection($"{file}:{line}", "expected a JSON object on the line", Raw(trimmed)));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string escape that is no UTF-16 text (a lone surrogate, "\uDFAA").
            rejections.Add(new JsonLineRejection($"{file}:{line}", "invalid JSON: " + e.Message, Raw(trimmed)));
        }
        return null;
    }

    private static string Raw(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxRawBytes)]);

    /// <summary>One name array per shape across the workers' name pools, so batches of one shape share it.</summary>
    private string[] Canonical(List<string> shape)
    {
        lock (_shapes)
        {
            foreach (var known in _shapes)
            {
                if (known.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shape)))
                {
                    return known;
                }
            }
            string[] created = [.. shape];
            if (_shapes.Count < MaxShapes)
            {
                _shapes.Add(created);
            }
            return created;
        }
    }
}
