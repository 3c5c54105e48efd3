// A local folder for data a run sets aside and reads back itself (a sink's spilled rows): fast files that need no
// durability, removed with the folder.
namespace Etl.Storage;

public sealed class ScratchFolder : IDisposable
{
    private const int BufferSize = 1 << 16;

    // The folder made in the system's temporary folder to hold this one, removed with it.
    private readonly string? _ownParent;

    private ScratchFolder(string folder, string? ownParent)
    {
        (Folder, _ownParent) = (folder, ownParent);
        Directory.CreateDirectory(folder);
    }

    /// <summary>The folder's local path.</summary>
    public string Folder { get; }

    /// <summary>A scratch folder named <paramref name="name"/> inside <paramref name="parent"/> when that is a local
    /// folder (a sink's staging folder, so a killed run's leftovers go with the staging folder), otherwise in the
    /// system's temporary folder (sinks on object stores spill to the local disk, never to the store).</summary>
    public static ScratchFolder Create(string? parent, string name)
    {
        if (parent is not null && StorageRegistry.SchemeOf(parent) is null or "file")
        {
            return new ScratchFolder(Path.GetFullPath(Path.Combine(LocalStorage.Native(parent), name)), null);
        }
        var temp = Path.Combine(Path.GetTempPath(), $"etl-{Guid.NewGuid():N}");
        return new ScratchFolder(Path.Combine(temp, name), temp);
    }

    /// <summary>Creates a new scratch file for writing.</summary>
    public Stream Create(string name) =>
        new FileStream(Path.Combine(Folder, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);

    /// <summary>Opens a scratch file for reading from its start to its end.</summary>
    public Stream OpenRead(string name) =>
        new FileStream(Path.Combine(Folder, name), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);

    public void Delete(string name) => File.Delete(Path.Combine(Folder, name));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_ownParent ?? Folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leftovers in a staging folder go with it; in the temporary folder the system cleans them.
        }
    }
}
