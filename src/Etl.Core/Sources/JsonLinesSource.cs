// Reads JSON Lines files: one JSON object per line, nested values kept as nested records and lists.
using System.ComponentModel;
using System.Runtime.CompilerServices;
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

    [Description("auto (default): files ending .gz or .gzip are gzip, .zst or .zstd zstd, others plain; or gzip, zstd, none for every file. A compressed file is decompressed as it is read, in flat memory; one that is damaged or cut short fails the run naming it.")]
    public InputCompression Compression { get; init; } = InputCompression.Auto;
}

public sealed class JsonLinesSource(JsonLinesSourceSpec spec, RunContext run) : ISource
{
    /// <summary>The file endings read from a folder.</summary>
    public static readonly IReadOnlyList<string> Extensions = InputCompressions.WithCompressed(".jsonl", ".ndjson", ".json");

    /// <summary>Chunks parsed at once: one per core, up to this many (each holds a chunk's records until sent).</summary>
    private const int MaxDecoders = 8;

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<JsonLinesSourceSpec>(
        "jsonl", "Reads JSON Lines files, one object per line.", (s, r) => new JsonLinesSource(s, r));

    /// <summary>Bytes per parsed chunk (tests make it small to put chunk boundaries where they want).</summary>
    internal int ChunkBytes { get; init; } = JsonLineChunker.DefaultChunkBytes;

    /// <summary>Reads line-aligned chunks on one task, parses them on one worker per core and sends what they became in
    /// file and line order.</summary>
    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        var files = (await FileGlob.ExpandOrThrowAsync(spec.Path, Extensions, cancellationToken)).Where(f => run.OwnsFile(spec.Path, f.Path)).ToList();
        run.Progress.Total = files.Sum(f => f.Length);
        var decoders = Math.Clamp(Environment.ProcessorCount, 1, MaxDecoders);
        var decoder = new JsonLineDecoder(output.BatchRows, output.NestedReads);
        await OrderedChunks.RunAsync(ct => ReadChunksAsync([.. files.Select(f => f.Path)], ct), (chunk, _) => Task.FromResult(decoder.Decode(chunk)),
            (decoded, ct) => SendAsync(decoded, output, ct), decoders, 2 * decoders, cancellationToken);
    }

    private async IAsyncEnumerable<JsonLineChunk> ReadChunksAsync(IReadOnlyList<string> files, [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var file in files)
        {
            await using var stream = await InputCompressions.OpenAsync(file, spec.Compression, ct);
            await foreach (var chunk in JsonLineChunker.ReadAsync(file, stream, new FileProgress(run.Progress, stream).Advance, ChunkBytes, ct))
            {
                yield return chunk;
            }
        }
    }

    private static async Task SendAsync(DecodedChunk decoded, ISourceOutput output, CancellationToken ct)
    {
        foreach (var rejection in decoded.Rejections)
        {
            output.Reject(rejection.Origin, rejection.Reason, rejection.Raw);
        }
        foreach (var batch in decoded.Batches)
        {
            await output.SendBatchAsync(batch, ct);
        }
    }
}
