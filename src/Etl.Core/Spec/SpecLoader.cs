// Reads a spec file: JSON syntax, ${...} expansion, JSON Schema validation and semantic checks, every problem at once.
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Etl.Records;
using Etl.Storage;

namespace Etl.Spec;

public static class SpecLoader
{
    private static int _rehearse;

    /// <summary>Reads the shipped JSON Schema on a thread of its own while the caller reads the command line and the
    /// spec file (the thread pool starts with one worker per core, and the command's own work needs them), then prepares
    /// what the serializer's view of any spec shares (<see cref="SpecJson.WarmUp"/>). The loader waits for the schema if
    /// it is not ready yet and reports any error itself.
    /// <paramref name="rehearseSource"/> (a run): the first spec read starts its source's rehearsal
    /// (<see cref="ComponentDescriptor.Rehearsal"/>) as soon as the source's type is known, or, for a source without one,
    /// loads what the commit's spec digest needs (<see cref="LoadedSpec.WarmUpDigest"/>).</summary>
    public static void WarmUp(bool rehearseSource = false)
    {
        _rehearse = rehearseSource ? 1 : 0;
        _ = Task.Factory.StartNew(() =>
        {
            SpecSchemaFastCheck.WarmUp();
            SpecJson.WarmUp();
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Starts the rehearsal of the source <paramref name="obj"/> names, once per process when asked by <see cref="WarmUp"/>.
    /// A source without one (files) warms the spec digest instead: its start-up has cores to spare, while an HTTP run's
    /// first requests need both, and its write rehearsal makes the digest once a core is idle.</summary>
    private static void RehearseSource(JsonObject obj)
    {
        if (Interlocked.Exchange(ref _rehearse, 0) != 1)
        {
            return;
        }
        if (TypeOf(obj["source"]) is { } type && Components.OfKind(ComponentKind.Source).FirstOrDefault(d => d.Type == type)?.Rehearsal is { } rehearsal)
        {
            _ = Task.Run(rehearsal);
        }
        else
        {
            _ = Task.Run(LoadedSpec.WarmUpDigest);
        }
    }

    private static string? TypeOf(JsonNode? node) => node is JsonObject o && o["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;

    /// <summary>The components <paramref name="obj"/> names, as <see cref="SpecJson.ForComponents"/> takes them.</summary>
    private static IEnumerable<string> ComponentsIn(JsonObject obj)
    {
        if (TypeOf(obj["source"]) is { } source)
        {
            yield return SpecJson.ComponentKey(ComponentKind.Source, source);
        }
        foreach (var transform in (obj["transforms"] as JsonArray ?? []).Select(TypeOf).OfType<string>())
        {
            yield return SpecJson.ComponentKey(ComponentKind.Transform, transform);
        }
        foreach (var sink in (obj["sinks"] as JsonArray ?? []).Select(TypeOf).OfType<string>())
        {
            yield return SpecJson.ComponentKey(ComponentKind.Sink, sink);
        }
    }

    /// <summary>Reads and checks the spec at <paramref name="path"/> (any storage); on the local disk this completes
    /// at once.</summary>
    public static LoadedSpec Load(string path, IReadOnlyDictionary<string, string>? overrides = null) =>
        LoadAsync(path, overrides, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<LoadedSpec> LoadAsync(string path, IReadOnlyDictionary<string, string>? overrides, CancellationToken cancellationToken)
    {
        byte[]? bytes;
        try
        {
            bytes = await StorageRegistry.For(path).ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new SpecException([new SpecError(path, 0, 0, "$", $"cannot read the spec: {e.Message}")]);
        }
        if (bytes is null)
        {
            throw new SpecException([new SpecError(path, 0, 0, "$", $"cannot read the spec: Could not find file '{StorageRegistry.For(path).FullPath(path)}'.")]);
        }
        return Parse(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), path, overrides);
    }

    public static LoadedSpec Parse(string text, string file, IReadOnlyDictionary<string, string>? overrides = null)
    {
        // Where each value sits in the text is worked out only for a spec with problems.
        JsonLocator? locator = null;
        var errors = new List<SpecError>();
        void Add(string jsonPath, string message)
        {
            var (line, column) = (locator ??= new JsonLocator(text)).Find(jsonPath);
            errors.Add(new SpecError(file, line, column, jsonPath, message));
        }

        var obj = ParseObject(text, file);
        // The serializer's view of the components named is built on another thread while the spec is expanded and
        // checked; a component "type" written as a ${...} template is known once expanded.
        var components = ComponentsIn(obj).ToList();
        var options = components.Exists(c => c.Contains("${", StringComparison.Ordinal)) ? null : SpecJson.ForComponents(components);
        RehearseSource(obj);
        var parameters = Parameters(obj, overrides, Add);
        var secrets = new Redactor();
        var expansionErrors = new List<(string Path, string Message)>();
        Templates.ExpandAll(obj, "$", parameters, secrets, expansionErrors);
        options ??= SpecJson.ForComponents(ComponentsIn(obj));
        foreach (var (p, m) in expansionErrors)
        {
            Add(p, m);
        }
        foreach (var (p, m) in SchemaProblems(obj))
        {
            Add(p, m);
        }
        if (errors.Count > 0)
        {
            throw new SpecException(Dedupe(errors));
        }
        PipelineSpec spec;
        try
        {
            spec = obj.Deserialize<PipelineSpec>(options) ?? throw new JsonException("the spec is null");
        }
        catch (JsonException e)
        {
            Add(e.Path ?? "$", FirstSentence(e.Message));
            throw new SpecException(errors);
        }
        foreach (var (p, m) in SpecChecks.Check(spec))
        {
            Add(p, m);
        }
        if (errors.Count > 0)
        {
            throw new SpecException(Dedupe(errors));
        }
        return new LoadedSpec(StorageRegistry.For(file).FullPath(file), spec, parameters, secrets)
        {
            Text = text,
            SerializerOptions = options,
            SourceHasRuntimePlaceholders = Templates.HasRuntimePlaceholder(obj["source"]),
        };
    }

    /// <summary>What the JSON Schema finds wrong with the spec: the fast check settles a spec the schema accepts, and
    /// JsonSchema.Net, loaded only then, finds and words the problems of any other.</summary>
    private static IEnumerable<(string Path, string Message)> SchemaProblems(JsonObject obj)
    {
        using var doc = JsonDocument.Parse(obj.ToJsonString());
        return SpecSchemaFastCheck.Check(doc.RootElement) == SpecSchemaFastCheck.Verdict.Valid ? [] : SpecSchemaCheck.Problems(obj);
    }

    /// <summary>The spec's JSON object, or a spec error naming where the syntax breaks.</summary>
    private static JsonObject ParseObject(string text, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SpecException([new SpecError(file, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, e.Path ?? "$", "invalid JSON: " + FirstSentence(e.Message))]);
        }
        // A JsonObject would throw on a repeated key only when first read, with no position to report.
        if (DuplicateKeys.Find(text, file) is { } duplicate)
        {
            throw new SpecException([duplicate]);
        }
        return root as JsonObject ?? throw new SpecException([new SpecError(file, 1, 1, "$", "expected a JSON object")]);
    }

    /// <summary>Parameters: the spec's defaults, then --param overrides (which must name a declared parameter).</summary>
    private static Dictionary<string, string> Parameters(JsonObject obj, IReadOnlyDictionary<string, string>? overrides, Action<string, string> add)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (obj["parameters"] is JsonObject declared)
        {
            foreach (var (k, v) in declared)
            {
                parameters[k] = v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            }
        }
        foreach (var (k, v) in overrides ?? new Dictionary<string, string>())
        {
            if (!parameters.ContainsKey(k))
            {
                var hint = Suggest.Closest(k, parameters.Keys);
                add("$.parameters", $"--param {k}: the spec declares no parameter '{k}'" + (hint is not null ? $" (did you mean '{hint}'?)" : ""));
            }
            parameters[k] = v;
        }
        return parameters;
    }

    private static List<SpecError> Dedupe(List<SpecError> errors) =>
        [.. errors.Distinct().OrderBy(e => e.Line).ThenBy(e => e.Column)];

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
