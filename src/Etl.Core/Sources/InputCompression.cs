// How a file source's files are compressed: by their name (auto), or as the spec says; and how they are opened for reading.
using Etl.Storage;

namespace Etl.Sources;

/// <summary>The <c>compression</c> option of the csv, jsonl and json sources.</summary>
public enum InputCompression { Auto, Gzip, Zstd, None }

public static class InputCompressions
{
    /// <summary>The endings that <see cref="InputCompression.Auto"/> reads as gzip.</summary>
    public static readonly IReadOnlyList<string> GzipEndings = [".gz", ".gzip"];

    /// <summary>The endings that <see cref="InputCompression.Auto"/> reads as zstd.</summary>
    public static readonly IReadOnlyList<string> ZstdEndings = [".zst", ".zstd"];

    /// <summary>What a file is read as: <paramref name="compression"/>, or for auto what its name ends with.</summary>
    public static InputCompression For(string path, InputCompression compression) => compression switch
    {
        InputCompression.Auto when GzipEndings.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)) => InputCompression.Gzip,
        InputCompression.Auto when ZstdEndings.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)) => InputCompression.Zstd,
        InputCompression.Auto => InputCompression.None,
        _ => compression,
    };

    /// <summary>The file endings a folder is listed with: each of <paramref name="endings"/>, plain and compressed.</summary>
    public static IReadOnlyList<string> WithCompressed(params string[] endings) =>
        [.. endings, .. endings.SelectMany(e => GzipEndings.Concat(ZstdEndings).Select(c => e + c))];

    /// <summary>Opens <paramref name="path"/> for reading, through a decompressor when it is compressed; a compressed
    /// file gives a <see cref="DecompressingStream"/>, which fails naming the file when its data is damaged.</summary>
    public static async Task<Stream> OpenAsync(string path, InputCompression compression, CancellationToken ct)
    {
        var raw = await StorageRegistry.For(path).OpenReadAsync(path, ct);
        var codec = For(path, compression);
        return codec == InputCompression.None ? raw : new DecompressingStream(raw, path, codec);
    }

    /// <summary>Where progress stands in the file's own bytes once <paramref name="position"/> bytes of what
    /// <paramref name="stream"/> gives were handed on.</summary>
    public static long FileBytes(Stream stream, long position) =>
        stream is DecompressingStream d ? d.FileBytesAt(position) : position;
}
