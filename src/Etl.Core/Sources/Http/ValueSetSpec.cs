// One entry of "values": the values a placeholder takes — a range, a JSON list, a column of CSV/Parquet files, or a parent request.
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Etl.Spec;

namespace Etl.Sources.Http;

public enum ValueFileFormat { Csv, Parquet }

[JsonConverter(typeof(ValueSetSpecConverter))]
[SchemaJson(Schema)]
public sealed record ValueSetSpec
{
    // One shape for the three forms (rather than oneOf) so a mistake gets one clear message, not one per form.
    internal const string Schema = """
        {
          "description": "A list of values ([1, 2, 3]), a range ({ \"from\": 1, \"to\": 1000 }), a file column ({ \"file\": \"data/lake/ids/\", \"column\": \"id\" }) or a parent request ({ \"request\": { \"path\": \"/customers\", \"field\": \"id\" } }).",
          "type": ["array", "object"],
          "items": { "type": ["string", "number", "boolean"] },
          "properties": {
            "from": { "description": "Range: the first value.", "type": "integer" },
            "to": { "description": "Range: the last value (included).", "type": "integer" },
            "step": { "description": "Range: difference between two values. Default 1.", "type": "integer" },
            "file": { "description": "File: a CSV or Parquet file, a folder (a lake sink) or a glob.", "type": "string" },
            "column": { "description": "File: the column holding the values.", "type": "string" },
            "format": { "description": "File: csv or parquet. Default: from the file names (a folder holding .parquet files is parquet).", "enum": ["csv", "parquet"] },
            "request": { "$ref": "#/$defs/http.valueRequest" }
          },
          "additionalProperties": false
        }
        """;

    public const long DefaultStep = 1;

    [Description("Range: the first value.")]
    public long? From { get; init; }

    [Description("Range: the last value (included).")]
    public long? To { get; init; }

    [Description("Range: difference between two values. Default 1.")]
    public long Step { get; init; } = DefaultStep;

    /// <summary>List: the values as written (string, long, double or bool).</summary>
    public IReadOnlyList<object>? List { get; init; }

    [Description("File: a CSV or Parquet file, folder or glob.")]
    public string? File { get; init; }

    [Description("File: the column holding the values.")]
    public string? Column { get; init; }

    [Description("File: csv or parquet. Default: from the file names.")]
    public ValueFileFormat? Format { get; init; }

    [Description("Parent request: the values come from the records of another request's pages, streamed as they arrive.")]
    public ValueRequestSpec? Request { get; init; }

    /// <summary>Every placeholder a "values" object defines: its names, and those of its parent requests' own values (children may use them).</summary>
    internal static IReadOnlyList<string> NamesOf(Dictionary<string, ValueSetSpec>? values)
    {
        // A loop: LINQ over key/value pairs is compiled at run time, on the path of the run's first request.
        var names = new List<string>();
        foreach (var (name, set) in values ?? [])
        {
            names.Add(name);
            if (set.Request is { } request)
            {
                names.AddRange(NamesOf(request.Values));
            }
        }
        return names;
    }

    internal IEnumerable<(string Path, string Message)> Validate(string path)
    {
        if (Request is not null)
        {
            foreach (var problem in Request.Validate($"{path}.request"))
            {
                yield return problem;
            }
            yield break;
        }
        if (List is not null)
        {
            if (List.Count == 0)
            {
                yield return (path, "expected at least one value");
            }
            yield break;
        }
        if (File is not null)
        {
            if (Storage.StorageRegistry.Problem(File) is { } unsupported)
            {
                yield return ($"{path}.file", unsupported);
            }
            if (string.IsNullOrWhiteSpace(Column))
            {
                yield return ($"{path}.column", "missing required field \"column\"");
            }
            yield break;
        }
        if (Step == 0)
        {
            yield return ($"{path}.step", "expected a step other than 0");
        }
        else if (From is { } from && To is { } to && Math.Sign(to - from) * Math.Sign(Step) < 0)
        {
            yield return ($"{path}.step", $"a range from {from} to {to} needs a {(to > from ? "positive" : "negative")} step; got {Step}");
        }
    }
}

/// <summary>Reads a value set written as a JSON array (a list) or an object (a range or a file column).</summary>
public sealed class ValueSetSpecConverter : JsonConverter<ValueSetSpec>
{
    public override ValueSetSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var list = new List<object>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString()!,
                    JsonTokenType.Number when reader.TryGetInt64(out var l) => l,
                    // An id beyond a long stays exact: as a double it would reach the URL as 1.2345678901234567E+19.
                    JsonTokenType.Number when Records.RecordJson.TryGetWholeDecimal(ref reader, out var whole) => whole,
                    JsonTokenType.Number => reader.GetDouble(),
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw new JsonException($"expected a string, number or boolean in the list; got {reader.TokenType}"),
                });
            }
            return new ValueSetSpec { List = list };
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected a list of values, { \"from\", \"to\" }, { \"file\", \"column\" } or { \"request\" }");
        }
        var o = JsonSerializer.Deserialize<ValueSetObject>(ref reader, options) ?? throw new JsonException("expected a value set");
        if (o.Request is not null)
        {
            if (o.File is not null || o.From is not null || o.To is not null || o.Step is not null || o.Column is not null || o.Format is not null)
            {
                throw new JsonException("a value set takes either request or from/to/step or file/column/format, not several");
            }
            return new ValueSetSpec { Request = o.Request };
        }
        if (o.File is null && (o.From is null || o.To is null))
        {
            throw new JsonException("expected { \"from\", \"to\" }, { \"file\", \"column\" } or { \"request\" }");
        }
        if (o.File is not null && (o.From is not null || o.To is not null || o.Step is not null))
        {
            throw new JsonException("a value set takes either from/to/step or file/column/format, not both");
        }
        return new ValueSetSpec { From = o.From, To = o.To, Step = o.Step ?? ValueSetSpec.DefaultStep, File = o.File, Column = o.Column, Format = o.Format };
    }

    public override void Write(Utf8JsonWriter writer, ValueSetSpec value, JsonSerializerOptions options)
    {
        if (value.List is { } list)
        {
            JsonSerializer.Serialize(writer, list, options);
            return;
        }
        var o = new ValueSetObject
        {
            From = value.From,
            To = value.To,
            Step = value.File is null && value.Step != ValueSetSpec.DefaultStep ? value.Step : null,
            File = value.File,
            Column = value.Column,
            Format = value.Format,
            Request = value.Request,
        };
        JsonSerializer.Serialize(writer, o, options);
    }

    internal sealed record ValueSetObject
    {
        public long? From { get; init; }
        public long? To { get; init; }
        public long? Step { get; init; }
        public string? File { get; init; }
        public string? Column { get; init; }
        public ValueFileFormat? Format { get; init; }
        public ValueRequestSpec? Request { get; init; }
    }
}
