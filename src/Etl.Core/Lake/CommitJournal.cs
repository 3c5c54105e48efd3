// The commit journal: every step of one sink's commit, written atomically before the first step so a crash rolls forward.
using System.Text;
using System.Text.Json;
using Etl.Runtime;

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

    /// <summary>Writes the journal into <paramref name="stagingFolder"/>: a temporary name, flushed to disk, then renamed,
    /// so a journal under its final name is always complete.</summary>
    public void WriteTo(string stagingFolder)
    {
        Directory.CreateDirectory(stagingFolder);
        SinkLock.WriteAtomically(Path.Combine(stagingFolder, FileName), JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions));
    }

    /// <summary>The complete journal of a staging folder, or null when the commit never got that far.</summary>
    public static CommitJournal? TryRead(string stagingFolder)
    {
        var path = Path.Combine(stagingFolder, FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<CommitJournal>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException)
        {
            // Written under a temporary name and renamed, so a torn journal cannot be here; a hand-edited one is refused.
            return null;
        }
    }

    /// <summary>
    /// Carries out every step; each step can run again after a crash with the same result (a moved file is not moved
    /// twice, a deleted file is not missed), so rolling an interrupted commit forward is simply applying it again.
    /// </summary>
    public void Apply(string sinkFolder, string stagingFolder)
    {
        var success = Path.Combine(sinkFolder, LakeCommitter.SuccessName);
        if (File.Exists(success))
        {
            File.Delete(success);
        }
        TestHooks.Pause("commit-journal");
        var first = true;
        foreach (var move in Moves)
        {
            var from = Inside(stagingFolder, move.From);
            var to = Inside(sinkFolder, move.To);
            if (File.Exists(from))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Move(from, to, overwrite: true);
                if (first)
                {
                    first = false;
                    TestHooks.Pause("commit-rename");
                }
            }
        }
        foreach (var write in Writes)
        {
            SinkLock.WriteAtomically(Inside(sinkFolder, write.Path), Encoding.UTF8.GetBytes(write.Content));
        }
        TestHooks.Pause("commit-manifest");
        foreach (var delete in Deletes)
        {
            var path = Inside(sinkFolder, delete);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
            RemoveEmptyFolders(sinkFolder, Path.GetDirectoryName(path)!);
        }
        SinkLock.WriteAtomically(success, []);
        // The journal goes first: once it is gone the commit is over, whatever else of the staging folder remains.
        File.Delete(Path.Combine(stagingFolder, FileName));
    }

    /// <summary>Resolves a relative path from a journal, refusing any that would leave <paramref name="folder"/>.</summary>
    private static string Inside(string folder, string relative)
    {
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (Path.IsPathRooted(relative) || !full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"commit journal names '{relative}', which is outside '{root}'");
        }
        return full;
    }

    private static void RemoveEmptyFolders(string sinkFolder, string folder)
    {
        var root = Path.GetFullPath(sinkFolder).TrimEnd(Path.DirectorySeparatorChar);
        var current = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        while (current.Length > root.Length && current.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            try
            {
                if (!Directory.Exists(current) || Directory.EnumerateFileSystemEntries(current).Any())
                {
                    return;
                }
                Directory.Delete(current);
            }
            catch (IOException)
            {
                return;
            }
            current = Path.GetDirectoryName(current)!;
        }
    }
}
