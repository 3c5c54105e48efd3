// Reads JSON files holding an array of records, or an object with the array at recordPath.
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

    [Description("Dotted path to the array of records inside the document (e.g. data.items); absent: the document is the array (or one record).")]
    public string? RecordPath { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) => SpecChecks.CheckPath(RecordPath, $"{path}.recordPath");
}

public sealed class JsonSource(JsonSourceSpec spec, RunContext run) : ISource
{
    /// <summary>The file endings read from a folder.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".json"];

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Source<JsonSourceSpec>(
        "json", "Reads JSON files holding an array of records.", (s, r) => new JsonSource(s, r));

    public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken)
    {
        var files = (await FileGlob.ExpandOrThrowAsync(spec.Path, Extensions, cancellationToken)).Where(f => run.Owns(f.Path)).ToList();
        run.Progress.Total = files.Sum(f => f.Length);
        var path = spec.RecordPath is null ? null : RecordPath.Parse(spec.RecordPath);
        foreach (var entry in files)
        {
            var file = entry.Path;
            var bytes = await StorageRegistry.For(file).ReadAllBytesAsync(file, cancellationToken)
                ?? throw new FileNotFoundException($"{file}: the file is gone");
            object? document;
            try
            {
                document = RecordJson.Parse(bytes);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}: invalid JSON: {e.Message}", e);
            }
            var target = path is null ? document : document is Record root ? path.Read(root) : null;
            switch (target)
            {
                case IReadOnlyList<object?> list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is Record r)
                        {
                            r.SetOrigin(file, i, ":item ");
                            await output.SendAsync(r, cancellationToken);
                        }
                        else
                        {
                            output.Reject($"{file}:[{i}]", "expected a JSON object in the array", RecordJson.Serialize(list[i]));
                        }
                    }
                    break;
                case Record single:
                    single.Origin = file;
                    await output.SendAsync(single, cancellationToken);
                    break;
                default:
                    throw new InvalidDataException(spec.RecordPath is null
                        ? $"{file}: expected a JSON array of objects (or set recordPath)"
                        : $"{file}: no array or object at recordPath '{spec.RecordPath}'");
            }
            run.Progress.Advance(bytes.Length);
        }
    }
}
