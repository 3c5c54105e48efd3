// Which storage serves a path: plain paths and file:// URIs are the local disk; other schemes register here.
using System.Text.RegularExpressions;

namespace Etl.Storage;

public static partial class StorageRegistry
{
    // Made when first asked for: the S3 storage loads the AWS SDK and builds its retry pipeline, which a run on the
    // local disk (and every command's start-up) does without.
    private static readonly IReadOnlyDictionary<string, Lazy<IStorage>> Schemes = new Dictionary<string, Lazy<IStorage>>(StringComparer.OrdinalIgnoreCase)
    {
        ["file"] = new(() => LocalStorage.Instance),
        ["s3"] = new(() => new S3Storage()),
    };

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]+)://")]
    private static partial Regex SchemePrefix();

    /// <summary>The schemes a path may use, for error messages.</summary>
    public static IReadOnlyCollection<string> Supported => [.. Schemes.Keys];

    /// <summary>The URI scheme of <paramref name="path"/>, or null for a plain path (including C:\ on Windows).</summary>
    public static string? SchemeOf(string path) => SchemePrefix().Match(path) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Why <paramref name="path"/> cannot be used, or null when a storage serves it.</summary>
    public static string? Problem(string path) => SchemeOf(path) is { } scheme && !Schemes.ContainsKey(scheme)
        ? $"the scheme \"{scheme}://\" is not supported; use a local path or one of {string.Join(", ", Supported.Select(s => s + "://"))}"
        : null;

    /// <summary>The storage that serves <paramref name="path"/>.</summary>
    public static IStorage For(string path)
    {
        var scheme = SchemeOf(path);
        if (scheme is null)
        {
            return LocalStorage.Instance;
        }
        return Schemes.TryGetValue(scheme, out var storage)
            ? storage.Value
            : throw new NotSupportedException($"'{path}': {Problem(path)}");
    }
}
