// Runs a transform both ways on the same column batches, record by record (as the mesh falls back) and through its
// batch kernel, and describes the resulting records so that the two can be compared exactly.
using System.Globalization;
using Etl.Columns;
using Etl.Records;
using Etl.Transforms;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Transforms;

/// <summary>What the record path made of a batch: its records, and how many rows it filtered and dead-lettered.</summary>
public sealed record RecordPathResult(List<Record> Records, int Filtered, int Failed);

public static class BatchParity
{
    public const int Seed = 20261202;

    /// <summary>Orders-like batches of every column kind, with nulls (none in id) and <paramref name="leadingNulls"/> null
    /// rows at the start of amount, status and created.</summary>
    public static ColumnBatch[] Orders(int batches, int rows, int leadingNulls = 0, int seed = Seed)
    {
        var random = new Random(seed);
        string[] names = ["id", "qty", "amount", "price", "status", "created", "day", "flag"];
        string?[] statuses = ["paid", "open", "refunded", "", null];
        var result = new ColumnBatch[batches];
        for (var b = 0; b < batches; b++)
        {
            var columns = names.Select(n => ColumnBuilder.For(KindOf(n), rows)).ToArray();
            var positions = new long[rows];
            for (var r = 0; r < rows; r++)
            {
                var id = (long)b * rows + r;
                positions[r] = id + 2;
                var leading = b == 0 && r < leadingNulls;
                var hole = random.Next(8) == 0;
                columns[0].AddValue(id);
                columns[1].AddValue(hole ? null : random.Next(0, 6));
                columns[2].AddValue(leading || random.Next(8) == 0 ? null : Math.Round((decimal)(random.NextDouble() * 300), 2));
                columns[3].AddValue(random.Next(8) == 0 ? null : Math.Round(random.NextDouble() * 60, 3));
                columns[4].AddValue(leading ? null : statuses[random.Next(statuses.Length)]);
                columns[5].AddValue(leading || hole ? null : new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(500_000)));
                columns[6].AddValue(hole ? null : new DateOnly(2024, 1, 1).AddDays(random.Next(366)));
                columns[7].AddValue(random.Next(5) == 0 ? null : random.Next(2) == 0);
            }
            result[b] = new ColumnBatch(names, [.. columns.Select(c => c.Build())], rows, new BatchOrigins("orders.csv", positions));
        }
        return result;
    }

    private static ColumnKind KindOf(string name) => name switch
    {
        "id" => ColumnKind.Int64,
        "qty" => ColumnKind.Int32,
        "amount" => ColumnKind.Decimal,
        "price" => ColumnKind.Double,
        "status" => ColumnKind.String,
        "created" => ColumnKind.Timestamp,
        "day" => ColumnKind.Date,
        _ => ColumnKind.Bool,
    };

    /// <summary>A batch of one column made from <paramref name="values"/>, rows numbered from 2 in "test.csv".</summary>
    public static ColumnBatch Single(string name, ColumnKind? kind, params object?[] values) =>
        new([name], [Column.FromValues(kind, values)], values.Length, new BatchOrigins("test.csv", [.. Enumerable.Range(2, values.Length).Select(i => (long)i)]));

    /// <summary>The batches record by record, as the mesh does when a transform has no batch kernel.</summary>
    public static RecordPathResult RecordPath(ITransform transform, IEnumerable<ColumnBatch> batches)
    {
        var output = new List<Record>();
        var (filtered, failed) = (0, 0);
        foreach (var record in batches.SelectMany(b => b.ToRecords()))
        {
            var before = output.Count;
            try
            {
                transform.Apply(record, output);
                filtered += output.Count == before ? 1 : 0;
            }
            catch (RecordException)
            {
                output.RemoveRange(before, output.Count - before);
                failed++;
            }
        }
        return new RecordPathResult(output, filtered, failed);
    }

    /// <summary>The batches through the batch kernel; every batch must take it.</summary>
    public static List<BatchOutput> BatchPath(IBatchTransform transform, IEnumerable<ColumnBatch> batches) =>
        [.. batches.Select(b => transform.TryApply(b) ?? throw new InvalidOperationException($"a batch of {b.RowCount} rows took the record path"))];

    /// <summary>The batches as the mesh runs them: through the batch kernel, or record by record where it returns null;
    /// with the counts the mesh would make.</summary>
    public static RecordPathResult MeshPath(IBatchTransform transform, IEnumerable<ColumnBatch> batches)
    {
        var output = new List<Record>();
        var (filtered, failed) = (0, 0);
        foreach (var batch in batches)
        {
            if (transform.TryApply(batch) is { } result)
            {
                output.AddRange(result.Batch.ToRecords());
                filtered += result.Filtered;
                continue;
            }
            var fallback = RecordPath(transform, [batch]);
            output.AddRange(fallback.Records);
            (filtered, failed) = (filtered + fallback.Filtered, failed + fallback.Failed);
        }
        return new RecordPathResult(output, filtered, failed);
    }

    /// <summary>The records of the batch outputs, in order.</summary>
    public static List<Record> OutputRecords(IEnumerable<BatchOutput> outputs) => [.. outputs.SelectMany(o => o.Batch.ToRecords())];

    /// <summary>Origin, then each field as name=value:type, so values of different types never compare equal.</summary>
    public static string Describe(Record record) =>
        $"{record.Origin} " + string.Join(", ", Enumerable.Range(0, record.Count).Select(i => $"{record.NameAt(i)}={Describe(record.ValueAt(i))}"));

    public static List<string> Describe(IEnumerable<Record> records) => [.. records.Select(Describe)];

    private static string Describe(object? value) => value switch
    {
        null => "null",
        DateTime t => $"{t.ToString("O", CultureInfo.InvariantCulture)}:DateTime",
        _ => $"{ValueConverter.ToText(value)}:{value.GetType().Name}",
    };
}
