// A scratch file on the local disk for data too large to hold in memory for a moment (a large HTTP response body):
// readable and writable, and deleted when closed, even when the process dies before it is read.
namespace Etl.Storage;

public static class ScratchFile
{
    private const int BufferSize = 1 << 16;

    /// <summary>The environment variable naming the folder of scratch files; default: the system's temporary folder.</summary>
    public const string FolderVariable = "ETL_SCRATCH_DIR";

    /// <summary>A new, empty scratch file, open for writing then reading; it disappears when the stream is disposed.</summary>
    public static Stream Create()
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured ? configured : Path.GetTempPath();
        var path = Path.Combine(folder, $"etl-{Guid.NewGuid():N}.scratch");
        // DeleteOnClose unlinks the name at once on Unix-like systems' close; the data lives only as long as the handle.
        return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.DeleteOnClose);
    }
}
