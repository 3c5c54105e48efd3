// Publishes a run's staged files into a sink folder: rename into place, replace old data, then manifest and _SUCCESS.
using System.Text.Json;
using Etl.Sinks;
using Etl.Spec;

namespace Etl.Lake;

public sealed class LakeCommitter(SinkSpec spec, string runId)
{
    public const string ManifestName = "_manifest.json";
    public const string SuccessName = "_SUCCESS";
    public const string TempFolderName = "_tmp";

    public string SinkFolder { get; } = Path.GetFullPath(spec.Path);

    public string StagingFolder => Path.Combine(SinkFolder, TempFolderName, runId);

    /// <summary>Before the run: removes staging folders that earlier runs left behind and checks the mode.</summary>
    public void Prepare()
    {
        var temp = Path.Combine(SinkFolder, TempFolderName);
        if (Directory.Exists(temp))
        {
            foreach (var stale in Directory.EnumerateDirectories(temp))
            {
                TryDelete(stale);
            }
        }
        if (spec.Mode == SinkMode.ErrorIfExists && VisibleDataFiles().Any())
        {
            throw new IOException($"sink '{spec.Path}' already holds data and its mode is errorIfExists");
        }
        Directory.CreateDirectory(StagingFolder);
    }

    /// <summary>Makes the staged files visible and writes the manifest, then _SUCCESS.</summary>
    public void Commit(IReadOnlyList<StagedFile> files, Func<IReadOnlyList<ManifestFile>, RunManifest> manifestFor)
    {
        var previous = spec.Mode == SinkMode.Overwrite ? FilesToReplace(files) : [];
        var success = Path.Combine(SinkFolder, SuccessName);
        if (File.Exists(success))
        {
            File.Delete(success);
        }
        var kept = spec.Mode == SinkMode.Append ? RunManifest.TryRead(SinkFolder)?.Files ?? [] : [];
        foreach (var file in files)
        {
            var target = Path.Combine(SinkFolder, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(file.StagingPath, target, overwrite: false);
        }
        foreach (var old in previous)
        {
            File.Delete(old);
        }
        var written = files.Select(f => new ManifestFile(f.RelativePath.Replace('\\', '/'), f.Partition, f.Rows, f.Bytes));
        if (spec.Mode == SinkMode.Overwrite && spec.PartitionBy is { Count: > 0 })
        {
            // Partitions this run did not write keep their files.
            var replaced = files.Select(f => f.Partition).ToHashSet();
            kept = RunManifest.TryRead(SinkFolder)?.Files.Where(f => !replaced.Contains(f.Partition) && File.Exists(Path.Combine(SinkFolder, f.Path))).ToList() ?? [];
        }
        var manifest = manifestFor([.. kept.Concat(written)]);
        WriteAtomically(Path.Combine(SinkFolder, ManifestName), JsonSerializer.SerializeToUtf8Bytes(manifest, RunManifest.JsonOptions));
        WriteAtomically(success, []);
        TryDelete(StagingFolder);
        TryDeleteEmpty(Path.Combine(SinkFolder, TempFolderName));
    }

    public void Abort()
    {
        TryDelete(StagingFolder);
        TryDeleteEmpty(Path.Combine(SinkFolder, TempFolderName));
    }

    private List<string> FilesToReplace(IReadOnlyList<StagedFile> files)
    {
        var visible = VisibleDataFiles().ToList();
        if (spec.PartitionBy is not { Count: > 0 })
        {
            return visible;
        }
        var partitions = files.Select(f => f.Partition ?? "").ToHashSet(StringComparer.Ordinal);
        return [.. visible.Where(f => partitions.Contains(Path.GetRelativePath(SinkFolder, Path.GetDirectoryName(f)!).Replace('\\', '/')))];
    }

    /// <summary>Data files readers see: not under '_' or '.' prefixed names.</summary>
    public IEnumerable<string> VisibleDataFiles()
    {
        if (!Directory.Exists(SinkFolder))
        {
            return [];
        }
        return Directory.EnumerateFiles(SinkFolder, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(SinkFolder, f).Replace('\\', '/').Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.')));
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteEmpty(string folder)
    {
        try
        {
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
        }
    }
}
