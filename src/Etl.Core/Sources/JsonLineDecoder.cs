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

internal sealed class JsonLineDecoder(int batchRows)
{
    /// <summary>Fewer records of one shape in a row than this go as records: a column batch per handful of rows
    /// would cost more than it saves.</summary>
    private const int MinColumnRows = 32;
    private const int MaxShapes = 64;
    private const int MaxRawBytes = 1024;

    private readonly ConcurrentBag<NamePool> _pools = [];
    private readonly List<string[]> _shapes = [];

    /// <summary>Parses every line of <paramref name="chunk"/> and gives its buffer back to the pool.</summary>
    public DecodedChunk Decode(JsonLineChunk chunk)
    {
        // A name pool serves one thread at a time; a few of them serve every worker.
        var names = _pools.TryTake(out var pool) ? pool : new NamePool();
        var records = new List<Record>();
        var lines = new List<long>();
        var rejections = new List<JsonLineRejection>();
        try
        {
            var rest = chunk.Bytes.AsSpan(0, chunk.Length);
            for (var line = chunk.FirstLine; !rest.IsEmpty; line++)
            {
                var end = rest.IndexOf((byte)'\n');
                if (ParseLine(end < 0 ? rest : rest[..end], chunk.File, line, names, rejections) is { } record)
                {
                    records.Add(record);
                    lines.Add(line);
                }
                rest = end < 0 ? default : rest[(end + 1)..];
            }
        }
        finally
        {
            _pools.Add(names);
            ArrayPool<byte>.Shared.Return(chunk.Bytes);
        }
        return new DecodedChunk(rejections, Batches(chunk.File, records, lines));
    }

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
        catch (JsonException e)
        {
            rejections.Add(new JsonLineRejection($"{file}:{line}", "invalid JSON: " + e.Message, Raw(trimmed)));
        }
        return null;
    }

    private static string Raw(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line[..Math.Min(line.Length, MaxRawBytes)]);

    /// <summary>Runs of records of one shape (one name array of the pool), at most <c>batchRows</c> each.</summary>
    private List<ColumnBatch> Batches(string file, List<Record> records, List<long> lines)
    {
        var batches = new List<ColumnBatch>();
        var start = 0;
        while (start < records.Count)
        {
            var shape = records[start].SharedNames;
            var end = start + 1;
            while (end < records.Count && end - start < batchRows && shape is not null && ReferenceEquals(records[end].SharedNames, shape))
            {
                end++;
            }
            batches.Add(shape is not null && end - start >= MinColumnRows
                ? Columns(file, Canonical(shape), records, lines, start, end)
                : ColumnBatch.FromRecords(records.GetRange(start, end - start).ToArray()));
            start = end;
        }
        return batches;
    }

    private static ColumnBatch Columns(string file, string[] names, List<Record> records, List<long> lines, int start, int end)
    {
        var rows = end - start;
        var columns = new Column[names.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var values = new object?[rows];
            for (var r = 0; r < rows; r++)
            {
                values[r] = records[start + r].ValueAt(c);
            }
            columns[c] = ColumnOfValues.From(values, rows);
        }
        return new ColumnBatch(names, columns, rows, new BatchOrigins(file, lines.GetRange(start, rows).ToArray()));
    }

    /// <summary>One name array per shape across the workers' name pools, so batches of one shape share it.</summary>
    private string[] Canonical(string[] shape)
    {
        lock (_shapes)
        {
            foreach (var known in _shapes)
            {
                if (known.AsSpan().SequenceEqual(shape))
                {
                    return known;
                }
            }
            if (_shapes.Count < MaxShapes)
            {
                _shapes.Add(shape);
            }
            return shape;
        }
    }
}
