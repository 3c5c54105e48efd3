// Checks that JSON Schema cannot express: column types, paths, cross-field rules; each with its JSON path.
using Etl.Records;
using Etl.Storage;

namespace Etl.Spec;

/// <summary>A spec record that checks its own values beyond the schema.</summary>
public interface IValidatableSpec
{
    IEnumerable<(string Path, string Message)> Validate(string path);
}

/// <summary>A spec record naming files or folders (a file source's path), so a path no storage serves is refused.</summary>
public interface IStoragePathSpec
{
    /// <summary>Each location with the JSON path of the field naming it.</summary>
    IEnumerable<(string JsonPath, string Location)> Locations(string path);
}

public static class SpecChecks
{
    public static IEnumerable<(string Path, string Message)> Check(PipelineSpec spec)
    {
        foreach (var (name, type) in spec.Columns ?? [])
        {
            if (!ColumnType.TryParse(type, out _))
            {
                yield return ($"$.schema.{name}", $"expected one of {ColumnType.Names} (optionally followed by 'not null'); got \"{type}\"");
            }
        }
        var batch = spec.Batch ?? new BatchSpec();
        if (batch.Size < 1)
        {
            yield return ("$.batch.size", $"expected a number >= 1; got {batch.Size}");
        }
        if (batch.BoundedCapacity < 1)
        {
            yield return ("$.batch.boundedCapacity", $"expected a number >= 1; got {batch.BoundedCapacity}");
        }
        if (batch.Parallelism < 1)
        {
            yield return ("$.batch.parallelism", $"expected a number >= 1; got {batch.Parallelism}");
        }
        if (spec.Errors is { } e && (e.MaxFailedRecords < 0 || e.MaxFailedRequests < 0))
        {
            yield return ("$.errors", "maxFailedRecords and maxFailedRequests must be >= 0");
        }
        if (spec.TimeoutSeconds is <= 0)
        {
            yield return ("$.timeoutSeconds", $"expected a number > 0; got {spec.TimeoutSeconds}");
        }
        foreach (var problem in Validate(spec.Source, "$.source"))
        {
            yield return problem;
        }
        foreach (var problem in Validate(spec.Source.Incremental, "$.source.incremental"))
        {
            yield return problem;
        }
        for (var i = 0; i < (spec.Transforms?.Count ?? 0); i++)
        {
            foreach (var problem in Validate(spec.Transforms![i], $"$.transforms[{i}]"))
            {
                yield return problem;
            }
        }
        for (var i = 0; i < spec.Sinks.Count; i++)
        {
            foreach (var problem in Validate(spec.Sinks[i], $"$.sinks[{i}]"))
            {
                yield return problem;
            }
        }
        foreach (var problem in CheckLocations(spec))
        {
            yield return problem;
        }
    }

    /// <summary>Every path must be one a storage serves: "s3://…" without S3 support must not become a local folder
    /// named "s3:".</summary>
    private static IEnumerable<(string, string)> CheckLocations(PipelineSpec spec)
    {
        var locations = spec.Sinks.Select((s, i) => ($"$.sinks[{i}].path", s.Path)).ToList();
        if (spec.Errors?.DeadLetterPath is { } deadLetters)
        {
            locations.Add(("$.errors.deadLetterPath", deadLetters));
        }
        if (spec.Source is IStoragePathSpec source)
        {
            locations.AddRange(source.Locations("$.source"));
        }
        foreach (var (jsonPath, location) in locations)
        {
            if (StorageRegistry.Problem(location) is { } problem)
            {
                yield return (jsonPath, problem);
            }
        }
    }

    private static IEnumerable<(string, string)> Validate(object? component, string path) =>
        component is IValidatableSpec v ? v.Validate(path) : [];

    /// <summary>Checks a dotted record path, for components that take one.</summary>
    public static IEnumerable<(string, string)> CheckPath(string? text, string path)
    {
        if (text is null)
        {
            yield break;
        }
        string? error = null;
        try
        {
            RecordPath.Parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            error = e.Message;
        }
        if (error is not null)
        {
            yield return (path, error);
        }
    }
}
