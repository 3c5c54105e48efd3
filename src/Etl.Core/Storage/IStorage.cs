// The one seam between the engine and the place data lives: list, read, write, create-if-absent, replace, move,
// delete and lock. Sources parse the streams it opens; sinks, the committer, the lock, the manifest, the state and the
// dead letters write through it. Paths are plain local paths or URIs whose scheme names the storage.
namespace Etl.Storage;

/// <summary>A file (object) with its size in bytes.</summary>
public sealed record StorageEntry(string Path, long Length);

public interface IStorage
{
    /// <summary>The URI scheme this storage serves ("file" for the local disk).</summary>
    string Scheme { get; }

    /// <summary>The canonical form of <paramref name="path"/> (absolute, for the local disk).</summary>
    string FullPath(string path);

    /// <summary><paramref name="relative"/> ('/'-separated) below <paramref name="folder"/>.</summary>
    string Combine(string folder, string relative);

    /// <summary><paramref name="path"/> relative to <paramref name="folder"/>, '/'-separated.</summary>
    string RelativePath(string folder, string path);

    /// <summary>The folder holding <paramref name="path"/>, or null at the root.</summary>
    string? Parent(string path);

    /// <summary>The file at <paramref name="path"/>, or null when there is none.</summary>
    Task<StorageEntry?> StatAsync(string path, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="path"/> is a folder (a prefix with something below it, on object stores).</summary>
    Task<bool> FolderExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>The files below <paramref name="folder"/> (all levels when <paramref name="recursive"/>), in no set order.</summary>
    IAsyncEnumerable<StorageEntry> ListAsync(string folder, bool recursive, CancellationToken cancellationToken);

    /// <summary>The folders directly below <paramref name="folder"/>.</summary>
    IAsyncEnumerable<string> ListFoldersAsync(string folder, CancellationToken cancellationToken);

    /// <summary>Opens a file for reading; the stream can seek, so a Parquet footer is read without reading the file.</summary>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates a new file for streaming writes (failing when it exists); it is complete and durable once the
    /// stream is disposed. Missing parent folders are created.</summary>
    Task<Stream> CreateAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates a new file like <see cref="CreateAsync"/>, but durable only once <see cref="FlushToDiskAsync"/>
    /// has run over it: a sink that writes thousands of files makes them durable together instead of waiting on the disk
    /// once per file. Storages whose files are durable when closed (object stores) just create it.</summary>
    Task<Stream> CreateUnflushedAsync(string path, CancellationToken cancellationToken) => CreateAsync(path, cancellationToken);

    /// <summary>Makes files made by <see cref="CreateUnflushedAsync"/> (and closed) durable.</summary>
    Task FlushToDiskAsync(IReadOnlyCollection<string> paths, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The whole content of a small file, or null when there is none.</summary>
    Task<byte[]?> ReadAllBytesAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes a small file whole, replacing any previous one atomically: a reader sees the old content or the
    /// new, never a part.</summary>
    Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Creates a small file only if none exists at <paramref name="path"/> (the commit primitive object stores
    /// offer); false when one was already there.</summary>
    Task<bool> TryCreateNewAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Moves a file, replacing the target; a missing source is an error.</summary>
    Task MoveAsync(string from, string to, CancellationToken cancellationToken);

    /// <summary>Deletes a file; nothing happens when it is absent.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Deletes a folder and everything below it; nothing happens when it is absent.</summary>
    Task DeleteFolderAsync(string folder, CancellationToken cancellationToken);

    /// <summary>Deletes a folder only when it holds nothing (a no-op where folders are not real).</summary>
    Task DeleteFolderIfEmptyAsync(string folder, CancellationToken cancellationToken);

    /// <summary>Takes an exclusive lock named by <paramref name="path"/> that is released on dispose, or when the process
    /// dies; throws <see cref="StorageLockedException"/> when another holder has it.</summary>
    Task<IDisposable> LockAsync(string path, CancellationToken cancellationToken);
}

/// <summary>Another holder has the lock asked for.</summary>
public sealed class StorageLockedException(string path, Exception? inner = null)
    : IOException($"'{path}' is locked by another process", inner);
