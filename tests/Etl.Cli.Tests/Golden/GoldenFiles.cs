// Sorts the files a golden case's runs left into sinks, data files and dead letters, and names them without run ids.
using System.Text.RegularExpressions;

namespace Etl.Cli.Tests.Golden;

public sealed partial class GoldenFiles
{
    private static readonly string[] DataExtensions = [".parquet", ".csv", ".csv.gz"];

    private readonly GoldenRunResult _run;
    private readonly GoldenCanon _canon;
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    public GoldenFiles(GoldenRunResult run, GoldenCanon canon, bool unordered)
    {
        _run = run;
        _canon = canon;
        // A data file is named by the run that wrote it and its rank among that run's files in its folder (by name):
        // part-<run id>-<writer>-<sequence> is an implementation detail, how many files and what is in them is not.
        var data = run.Produced.Where(IsData).GroupBy(f => (Path.GetDirectoryName(f)!, canon.RunOf(Path.GetFileName(f))));
        foreach (var group in data)
        {
            var rank = 0;
            foreach (var file in group.Order(StringComparer.Ordinal))
            {
                // Unordered: how many files several writers make depends on which writer takes which batch.
                var name = unordered ? "any number of files" : $"#{++rank}";
                _labels[file] = $"{Relative(group.Key.Item1)}/[{group.Key.Item2} {name}]{Extension(file)}";
            }
        }
    }

    public string Root => _run.Root;

    public GoldenCanon Canon => _canon;

    /// <summary>Every file left, by label, in ordinal order.</summary>
    public IEnumerable<string> Labels() => _run.Produced.Select(Label).Distinct().Order(StringComparer.Ordinal);

    public string Label(string path) => _labels.TryGetValue(path, out var label) ? label : _canon.Text(Relative(path));

    /// <summary>Folders that hold a sink's commit (a _manifest.json), in order.</summary>
    public IEnumerable<string> SinkFolders() =>
        _run.Produced.Where(f => Path.GetFileName(f) == "_manifest.json").Select(f => Path.GetDirectoryName(f)!).Order(StringComparer.Ordinal);

    /// <summary>The data files committed below <paramref name="sink"/>, in label order.</summary>
    public IEnumerable<string> DataFiles(string sink) =>
        _run.Produced.Where(f => IsData(f) && SinkOf(f) == sink).OrderBy(Label, StringComparer.Ordinal);

    public IEnumerable<string> DeadLetterFiles() =>
        _run.Produced.Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal)).OrderBy(Label, StringComparer.Ordinal);

    /// <summary>The partition folder of a data file below its sink ("" when unpartitioned).</summary>
    public static string PartitionOf(string file, string sink) => Path.GetRelativePath(sink, Path.GetDirectoryName(file)!) is var p && p == "." ? "" : p;

    public string Relative(string path) => Path.GetRelativePath(_run.Root, path).Replace('\\', '/');

    public static string Extension(string file)
    {
        var name = Path.GetFileName(file);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "" : name[dot..];
    }

    public static string WithoutElapsed(string json) => Elapsed().Replace(json, "");

    /// <summary>The deepest folder above <paramref name="file"/> holding a _manifest.json: the sink that committed it.</summary>
    private string? SinkOf(string file)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null && dir.Length >= _run.Root.Length; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "_manifest.json")))
            {
                return dir;
            }
        }
        return null;
    }

    private bool IsData(string file) =>
        DataExtensions.Any(e => file.EndsWith(e, StringComparison.Ordinal))
        && !Relative(file).Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.'));

    [GeneratedRegex(@"""elapsedMs"":[0-9.eE+-]+,?")]
    private static partial Regex Elapsed();
}
