// Reads JSON files holding an array of records, or an object with the array at recordPath, streaming the array item by item.
using System.ComponentModel;
using System.Text.Json;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;
using Etl.Storage;

namespace Etl.Sources;

public sealed record JsonSourceSpec : SourceSpec, IValidatableSpec, IDescribedSource, IStoragePathSpec
{
    public Task<string> DescribeAsync(LoadedSpec loaded, CancellationToken cancellationToken) => FileGlob.DescribeAsync(Path, JsonSource.Extensions, cancellationToken);

    [Description("A JSON file, a folder, or a glob such as data/in/*.json.")]
    public required string Path { get; init; }

    public IEnumerable<(string JsonPath, string Location)> Locations(string path) => [($"{path}.path", Path)];

    [Description("auto (default): files ending .gz or .gzip are gzip, .zst or .zstd zstd, others plain; or gzip, zstd, none for every file. A compressed file is decompressed as it is read, in flat memory; one that is damaged or cut short fails the run naming it.")]
    public InputCompression Compression { get; init; } = InputCompression.Auto;

    [Description("Dotted path to the array of records inside the document (e.g. data.items); absent: the document is the array (or one record).")]
    public string? RecordPath { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) =>
        RecordPath is not null && RecordPath.StartsWith('$')
            ? [($"{path}.recordPath", JsonSource.NotADocumentPath(RecordPath))]
            : SpecChecks.CheckPath(RecordPath, $"{path}.recordPath");
}

public sealed class JsonSource(JsonSourceSpec spec, RunContext run) : ISource
{
    /// <summary>The file endings read from a folder.</summary>
    public static readonly IReadOnlyList<string> Extensions = InputCompressions.WithCompressed(".json");

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<JsonSourceSpec>(
        "json", "Reads JSON files holding an array of records, streamed item by item.", (s, r) => new JsonSource(s, r));

    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        var files = (await FileGlob.ExpandOrThrowAsync(spec.Path, Extensions, cancellationToken)).Where(f => run.OwnsFile(spec.Path, f.Path)).ToList();
        run.Progress.Total = files.Sum(f => f.Length);
        var steps = spec.RecordPath is null ? [] : RecordPath.Parse(spec.RecordPath).Steps
            ?? throw new InvalidDataException(NotADocumentPath(spec.RecordPath!));
        var names = new NamePool();
        foreach (var entry in files)
        {
            var file = entry.Path;
            await using var stream = await InputCompressions.OpenAsync(file, spec.Compression, cancellationToken);
            var document = new JsonRecordStream(file, steps, spec.RecordPath, names);
            await document.ReadAsync(stream, output, new FileProgress(run.Progress, stream).Advance, cancellationToken);
        }
    }

    internal static string NotADocumentPath(string recordPath) =>
        $"'{recordPath}' names a value of an HTTP request ($request, $parent), not a place in a JSON file";
}
