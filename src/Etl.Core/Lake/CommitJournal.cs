// The commit journal: every step of one sink's commit, written atomically before the first step so a crash rolls forward.
using System.Text;
using System.Text.Json;
using Etl.Storage;

namespace Etl.Lake;

/// <summary>One staged file to move: <c>From</c> is relative to the staging folder, <c>To</c> to the sink folder.</summary>
public sealed record JournalMove(string From, string To);

/// <summary>A small file written whole (atomically) into the sink folder, such as the manifest or the state.</summary>
public sealed record JournalWrite(string Path, string Content);

public sealed record CommitJournal
{
    public const string FileName = "_commit.json";

    public static JsonSerializerOptions JsonOptions { get; } = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    public required string RunId { get; init; }

    public required IReadOnlyList<JournalMove> Moves { get; init; }

    /// <summary>Replaced data files, relative to the sink folder; deleted once the new manifest is in place.</summary>
    public required IReadOnlyList<string> Deletes { get; init; }

    /// <summary>Written in order after every move: the manifest first, then the incremental state, if any.</summary>
    public required IReadOnlyList<JournalWrite> Writes { get; init; }

    /// <summary>Writes the journal into <paramref name="stagingFolder"/> atomically, so a journal under its final name is
    /// always complete.</summary>
    public Task WriteToAsync(string stagingFolder, CancellationToken cancellationToken)
    {
        var storage = StorageRegistry.For(stagingFolder);
        return storage.WriteAllBytesAsync(storage.Combine(stagingFolder, FileName), JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions), cancellationToken);
    }

    /// <summary>The complete journal of a staging folder, or null when the commit never got that far.</summary>
    public static async Task<CommitJournal?> TryReadAsync(string stagingFolder, CancellationToken cancellationToken)
    {
        var storage = StorageRegistry.For(stagingFolder);
        var bytes = await storage.ReadAllBytesAsync(storage.Combine(stagingFolder, FileName), cancellationToken);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<CommitJournal>(bytes, JsonOptions);
        }
        catch (JsonException)
        {
            // Written atomically, so a torn journal cannot be here; a hand-edited one is refused.
            return null;
        }
    }

    /// <summary>
    /// Carries out every step; each step can run again after a crash with the same result (a moved file is not moved
    /// twice, a deleted file is not missed), so rolling an interrupted commit forward is simply applying it again.
    /// <paramref name="checkpoint"/> is called at named steps (commit-journal, commit-rename, commit-manifest).
    /// </summary>
    public async Task ApplyAsync(string sinkFolder, string stagingFolder, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var storage = StorageRegistry.For(sinkFolder);
        await storage.DeleteAsync(storage.Combine(sinkFolder, LakeCommitter.SuccessName), cancellationToken);
        await checkpoint("commit-journal", cancellationToken);
        var first = true;
        foreach (var move in Moves)
        {
            var from = Inside(storage, stagingFolder, move.From);
            if (await storage.StatAsync(from, cancellationToken) is not null)
            {
                await storage.MoveAsync(from, Inside(storage, sinkFolder, move.To), cancellationToken);
                if (first)
                {
                    first = false;
                    await checkpoint("commit-rename", cancellationToken);
                }
            }
        }
        foreach (var write in Writes)
        {
            await storage.WriteAllBytesAsync(Inside(storage, sinkFolder, write.Path), Encoding.UTF8.GetBytes(write.Content), cancellationToken);
        }
        await checkpoint("commit-manifest", cancellationToken);
        foreach (var delete in Deletes)
        {
            var path = Inside(storage, sinkFolder, delete);
            await storage.DeleteAsync(path, cancellationToken);
            await RemoveEmptyFoldersAsync(storage, sinkFolder, delete, cancellationToken);
        }
        await storage.WriteAllBytesAsync(storage.Combine(sinkFolder, LakeCommitter.SuccessName), Array.Empty<byte>(), cancellationToken);
        // The journal goes first: once it is gone the commit is over, whatever else of the staging folder remains.
        await storage.DeleteAsync(storage.Combine(stagingFolder, FileName), cancellationToken);
    }

    /// <summary>Resolves a relative path from a journal, refusing any that would leave <paramref name="folder"/>.</summary>
    private static string Inside(IStorage storage, string folder, string relative)
    {
        var segments = relative.Replace('\\', '/').Split('/');
        if (relative.Length == 0 || relative.StartsWith('/') || relative.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s is "" or "." or ".."))
        {
            throw new InvalidDataException($"commit journal names '{relative}', which is outside '{folder}'");
        }
        return storage.Combine(folder, relative);
    }

    /// <summary>Removes the folders of a deleted file that are now empty, up to (not including) the sink folder.</summary>
    private static async Task RemoveEmptyFoldersAsync(IStorage storage, string sinkFolder, string relative, CancellationToken cancellationToken)
    {
        var segments = relative.Split('/');
        for (var depth = segments.Length - 1; depth > 0; depth--)
        {
            try
            {
                await storage.DeleteFolderIfEmptyAsync(storage.Combine(sinkFolder, string.Join('/', segments[..depth])), cancellationToken);
            }
            catch (IOException)
            {
                return;
            }
        }
    }
}

/// <summary>A named step of a run (write, commit-journal, commit-rename, commit-manifest) that a test can stop at.</summary>
public delegate Task Checkpoint(string point, CancellationToken cancellationToken);
