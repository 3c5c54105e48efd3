// One pipeline of the golden corpus: where its golden file lives, what its work folder starts with, the steps it runs.
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Golden;

/// <summary>A step of a case: <c>run</c> etl with arguments, <c>copy</c> a file inside the work folder (input that
/// arrives between runs), or <c>duckdb</c> SQL (an input written by another engine). <c>${root}</c> in a step is the
/// work folder, <c>${api}</c> the sample API's address.</summary>
public sealed record GoldenStep(string Kind, IReadOnlyList<string> Args)
{
    public override string ToString() => $"{Kind} {string.Join(' ', Args)}";
}

/// <summary>A golden case. <paramref name="Unordered"/>: rows may legitimately land in any order and any file of their
/// folder (several writers, concurrent HTTP requests), so rows are compared sorted, per partition folder.</summary>
public sealed record GoldenCase(string Name, string GoldenPath, IReadOnlyList<(string From, string To)> Setup, IReadOnlyList<GoldenStep> Steps, bool Unordered)
{
    public static string Folder { get; } = Path.Combine(Repo.Root, "tests", "Etl.Cli.Tests", "Golden");

    public static string CorpusFolder { get; } = Path.Combine(Folder, "Corpus");

    public static string ExamplesFolder { get; } = Path.Combine(Folder, "Examples");

    /// <summary>The specs of the corpus, by name (file name without .json).</summary>
    public static IEnumerable<string> CorpusNames() =>
        Directory.GetFiles(CorpusFolder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal);

    /// <summary>The example specs shipped in pipelines/, by name.</summary>
    public static IEnumerable<string> ExampleNames() =>
        Directory.GetFiles(Path.Combine(Repo.Root, "pipelines"), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(n => n != "pipeline.schema").Order(StringComparer.Ordinal);

    /// <summary>A corpus case: its work folder holds the corpus inputs (in/) and specs; it runs <c>etl run NAME.json</c>
    /// unless NAME.steps says otherwise.</summary>
    public static GoldenCase Corpus(string name) => Load(name, CorpusFolder,
        [("tests/Etl.Cli.Tests/Golden/Corpus/in", "in"), .. CorpusSpecs()], $"run {name}.json");

    /// <summary>An example case: its work folder holds pipelines/ and data/samples/ as the repository ships them.</summary>
    public static GoldenCase Example(string name) => Load(name, ExamplesFolder,
        [("pipelines", "pipelines"), ("data/samples", "data/samples")], $"run pipelines/{name}.json");

    private static IEnumerable<(string, string)> CorpusSpecs() =>
        CorpusNames().Select(n => ($"tests/Etl.Cli.Tests/Golden/Corpus/{n}.json", $"{n}.json"));

    private static GoldenCase Load(string name, string folder, IReadOnlyList<(string, string)> setup, string defaultStep)
    {
        var stepsFile = Path.Combine(folder, name + ".steps");
        var lines = File.Exists(stepsFile) ? File.ReadAllLines(stepsFile) : [defaultStep];
        var meaningful = lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var steps = meaningful.Where(l => l != "unordered").Select(Parse).ToList();
        return new GoldenCase(name, Path.Combine(folder, name + ".golden.txt"), setup, steps, meaningful.Contains("unordered"));
    }

    private static GoldenStep Parse(string line)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var kind = space < 0 ? line : line[..space];
        var rest = space < 0 ? "" : line[(space + 1)..];
        return kind switch
        {
            "run" or "copy" => new GoldenStep(kind, rest.Split(' ', StringSplitOptions.RemoveEmptyEntries)),
            "duckdb" => new GoldenStep(kind, [rest]),
            _ => throw new InvalidDataException($"unknown golden step '{kind}' in: {line}"),
        };
    }

    public bool NeedsApi => Steps.Any(s => s.Args.Any(a => a.Contains("${api}", StringComparison.Ordinal)));

    public override string ToString() => Name;
}
