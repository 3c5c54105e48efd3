// Reads JSON Lines files: one JSON object per line, nested values kept as nested records and lists.
using System.ComponentModel;
using System.Text;
using System.Text.Json;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Sources;

public sealed record JsonLinesSourceSpec : SourceSpec, IDescribedSource, IStoragePathSpec
{
    public Task<string> DescribeAsync(LoadedSpec loaded, CancellationToken cancellationToken) => FileGlob.DescribeAsync(Path, JsonLinesSource.Extensions, cancellationToken);

    [Description("A JSON Lines file, a folder, or a glob such as data/in/*.jsonl.")]
    public required string Path { get; init; }

    public IEnumerable<(string JsonPath, string Location)> Locations(string path) => [($"{path}.path", Path)];
}

public sealed class JsonLinesSource(JsonLinesSourceSpec spec, RunContext run) : ISource
{
    private const int BufferSize = 1 << 16;

    /// <summary>The file endings read from a folder.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz"];

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<JsonLinesSourceSpec>(
        "jsonl", "Reads JSON Lines files, one object per line.", (s, r) => new JsonLinesSource(s, r));

    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        var files = (await FileGlob.ExpandOrThrowAsync(spec.Path, Extensions, cancellationToken)).Where(f => run.OwnsFile(spec.Path, f.Path)).ToList();
        run.Progress.Total = files.Sum(f => f.Length);
        var names = new NamePool();
        foreach (var file in files)
        {
            await ReadFileAsync(file.Path, names, output, cancellationToken);
        }
    }

    private async Task ReadFileAsync(string file, NamePool names, ISourceOutput output, CancellationToken ct)
    {
        await using var raw = await StorageRegistry.For(file).OpenReadAsync(file, ct);
        var stream = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new System.IO.Compression.GZipStream(raw, System.IO.Compression.CompressionMode.Decompress)
            : raw;
        var buffer = new byte[BufferSize];
        int start = 0, end = 0;
        long line = 0;
        var eof = false;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline < 0 && !eof)
            {
                // Move the partial line to the front (growing the buffer for long lines) and read more.
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var n = await stream.ReadAsync(buffer.AsMemory(end), ct);
                if (n == 0)
                {
                    eof = true;
                }
                end += n;
                run.Progress.Advance(n);
                continue;
            }
            var lineEnd = newline < 0 ? end : newline;
            if (lineEnd == start && eof && newline < 0)
            {
                break;
            }
            line++;
            var record = ParseLine(buffer.AsSpan(start, lineEnd - start), file, line, names, output);
            start = newline < 0 ? end : newline + 1;
            if (record is not null)
            {
                await output.SendAsync(record, ct);
            }
        }
    }

    private static Record? ParseLine(ReadOnlySpan<byte> bytes, string file, long line, NamePool names, ISourceOutput output)
    {
        var trimmed = bytes.TrimEnd((byte)'\r');
        if (trimmed.Trim((byte)' ').IsEmpty)
        {
            return null;
        }
        try
        {
            var value = RecordJson.Parse(trimmed, names);
            if (value is Record r)
            {
                r.SetOrigin(file, line);
                return r;
            }
            output.Reject($"{file}:{line}", "expected a JSON object on the line", Encoding.UTF8.GetString(trimmed[..Math.Min(trimmed.Length, 1024)]));
        }
        catch (JsonException e)
        {
            output.Reject($"{file}:{line}", "invalid JSON: " + e.Message, Encoding.UTF8.GetString(trimmed[..Math.Min(trimmed.Length, 1024)]));
        }
        return null;
    }
}
