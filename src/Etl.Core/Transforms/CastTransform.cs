// Converts columns to a type; a value that does not convert sends the record to the dead-letter file.
using System.ComponentModel;
using Etl.Columns;
using Etl.Records;
using Etl.Spec;

namespace Etl.Transforms;

public sealed record CastTransformSpec : TransformSpec, IValidatableSpec
{
    [Description("Column → type (string, bool, int32, int64, double, decimal(p,s), date, timestamp).")]
    [SchemaPattern(ColumnType.SchemaPattern, ColumnType.Expected)]
    public required Dictionary<string, string> Columns { get; init; }

    public IEnumerable<(string Path, string Message)> Validate(string path) =>
        Columns.Where(kv => !ColumnType.TryParse(kv.Value, out _))
            .Select(kv => ($"{path}.columns.{kv.Key}", $"expected one of {ColumnType.Names}; got \"{kv.Value}\""));
}

public sealed class CastTransform(CastTransformSpec spec) : IBatchTransform
{
    private readonly KeyValuePair<string, ColumnType>[] _casts = [.. spec.Columns.Select(kv => KeyValuePair.Create(kv.Key, ColumnType.Parse(kv.Value)))];

    public static ComponentDescriptor Descriptor { get; } = ComponentDescriptor.Transform<CastTransformSpec>(
        "cast", "Converts columns to a type.", (s, _) => new CastTransform(s));

    public void Apply(Record record, List<Record> output)
    {
        // Every value is converted before any is set: a record that fails is dead-lettered as it came in.
        var converted = new object?[_casts.Length];
        for (var i = 0; i < _casts.Length; i++)
        {
            var (name, type) = _casts[i];
            if (!record.TryGet(name, out var value))
            {
                continue;
            }
            // An explicit cast of a timestamp to date means its day (SQL's CAST); the conformer refuses to drop a time.
            var from = type.Kind == ColumnKind.Date && value is DateTime at ? DateOnly.FromDateTime(at) : value;
            if (!ValueConverter.TryConvert(from, type, out converted[i], out var error))
            {
                throw new RecordException($"column '{name}': {error}", name, value);
            }
        }
        for (var i = 0; i < _casts.Length; i++)
        {
            if (record.TryGet(_casts[i].Key, out _))
            {
                record.Set(_casts[i].Key, converted[i]);
            }
        }
        output.Add(record);
    }

    /// <summary>The batch with each named column converted (columns already of their type are shared), or null when a
    /// value does not convert.</summary>
    public BatchOutput? TryApply(ColumnBatch batch)
    {
        Column[]? columns = null;
        foreach (var (name, type) in _casts)
        {
            var at = batch.IndexOf(name);
            if (at < 0)
            {
                continue;
            }
            var column = batch.Columns[at];
            if (ColumnCast.Convert(column, type, daysOfTimestamps: true) is not { } converted)
            {
                return null;
            }
            if (!ReferenceEquals(converted, column))
            {
                (columns ??= (Column[])batch.Columns.Clone())[at] = converted;
            }
        }
        return new BatchOutput(columns is null ? batch : batch.WithColumns(batch.Names, columns));
    }
}
