// The JSON Lines source against nst/JSONTestSuite: each corpus text as a line (and as a field of a line, nested, in an
// array), between two good lines, read alone and before a select of nested fields (which the source then reads ahead),
// must give the records System.Text.Json reads and dead-letter every line it does not, and nothing else; under a
// declared schema every record is kept, its strings exactly.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Etl.Sources;
using Etl.Spec;
using Etl.Transforms;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.JsonCorpus;

public sealed class JsonLinesCorpusTests : IDisposable
{
    /// <summary>Copies of the wrapped line: more than a column batch's minimum, so the rows also go as columns (one of
    /// a long text, such as 50,000 open arrays, which a copy tests as well as forty).</summary>
    private const int Copies = 40;
    private const int LongText = 1024;

    private static readonly byte[] Before = """{"v": "before", "o": {"v": "before"}, "a": [{"v": "before"}]}"""u8.ToArray();
    private static readonly byte[] After = """{"v": "after", "o": {"v": "after"}, "a": [{"v": "after"}]}"""u8.ToArray();

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Files => JsonTestSuite.Files;

    /// <summary>The transforms after the source: none, a select of nested object fields, an explode and a select of
    /// the element's fields (the last two make the source read those fields ahead).</summary>
    public static IReadOnlyList<TransformSpec[]> Plans { get; } =
    [
        [],
        [new SelectTransformSpec { Columns = new() { ["v"] = "v", ["ov"] = "o.v" } }],
        [new ExplodeTransformSpec { Path = "a", As = "item" }, new SelectTransformSpec { Columns = new() { ["v"] = "v", ["iv"] = "item.v" } }],
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task JsonLinesSource_CorpusText_GivesTheRecordsSystemTextJsonReadsAndDeadLettersTheRest(string name)
    {
        var text = JsonTestSuite.Bytes(name);
        var valid = JsonTestSuite.TryRead(text, out _);
        Assert.Equal(JsonTestSuite.VerdictOf(name) switch { Verdict.Accept => true, Verdict.Reject => false, _ => valid }, valid);
        var lines = Lines(text, valid);
        var file = _folder.WriteBytes(name + "l", [.. lines.SelectMany(l => (byte[])[.. l, (byte)'\n'])]);
        var run = TestRun.Context(_folder, schema: """{ "v": "string", "ov": "string", "iv": "string" }""");

        foreach (var plan in Plans)
        {
            var output = await ReadAsync(file, NestedReadsPlan.For(plan));
            var batches = Transformed(output.Batches, plan);

            Assert.Equal(Lines(Expected(lines, file, plan)), Lines(batches.SelectMany(b => b.ToRecords()).Select(RecordText.Of)));
            Assert.Equal(Lines(ExpectedRejections(lines, file)), Lines(output.Rejections.Select(r => $"{r.Origin} {Kind(r.Reason)}")));
            AssertDeclaredStringsKept(batches, new Conformer(run.Spec.Spec, run));
        }
        Assert.Empty(await TestRun.DeadLettersAsync(run));
    }

    /// <summary>Under a declared schema (v, ov, iv strings) every record is kept and its strings exactly.</summary>
    private static void AssertDeclaredStringsKept(List<ColumnBatch> batches, Conformer conformer)
    {
        var rows = batches.SelectMany(conformer.AddBatch).Concat(conformer.FlushBatches()).SelectMany(b => b.ToRecords()).ToList();
        var read = batches.SelectMany(b => b.ToRecords()).Select(r => r["v"]).ToList();
        Assert.Equal(read.Count, rows.Count);
        Assert.Equal(read.Select(Declared), read.Zip(rows, (value, row) => value is string or null ? Declared(row["v"]) : row["v"] is string ? "text" : "no text"));
    }

    /// <summary>A value as a declared string column must hold it: a string exactly, null as null, any other value as
    /// some text (how it is written is the converter's business, not the reader's).</summary>
    private static string Declared(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        _ => "text",
    };

    /// <summary>One item a line, origins by file name, so a difference shows where it is.</summary>
    private string Lines(IEnumerable<string> items) => string.Join("\n", items).Replace(_folder.Root + "/", "", StringComparison.Ordinal);

    private static List<byte[]> Lines(byte[] text, bool valid) =>
        [Before, .. JsonTestSuite.Lines(text, valid), .. Enumerable.Repeat(JsonTestSuite.Lines(JsonTestSuite.Wrapped(text), valid), text.Length > LongText ? 1 : Copies).SelectMany(l => l), After];

    private static async Task<BatchCollectingOutput> ReadAsync(string file, NestedReads reads)
    {
        var output = new BatchCollectingOutput { NestedReads = reads };
        await new JsonLinesSource(new JsonLinesSourceSpec { Path = file }, JsonTestSuite.Run).ReadAsync(output, CancellationToken.None);
        return output;
    }

    /// <summary>What System.Text.Json reads from each line that is an object, through the plan's record path.</summary>
    private static List<string> Expected(List<byte[]> lines, string file, TransformSpec[] plan)
    {
        var records = new List<Record>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!JsonTestSuite.IsBlank(lines[i]) && JsonTestSuite.TryRead(lines[i], out var value) && value is Record record)
            {
                record.SetOrigin(file, i + 1);
                records.Add(record);
            }
        }
        foreach (var transform in plan.Select(Create))
        {
            records = Apply(transform, records);
        }
        return [.. records.Select(RecordText.Of)];
    }

    /// <summary>Every line that is not blank and not an object, with the kind of reason it must give: a valid array or
    /// scalar is "expected a JSON object on the line", anything else invalid JSON (or not UTF-8). A blank line is skipped
    /// as documented, so n_single_space and n_structure_no_data leave no dead letter of their raw line (their line
    /// under "v" is one).</summary>
    private static List<string> ExpectedRejections(List<byte[]> lines, string file) =>
    [
        .. lines.Select((line, i) => (line, i))
            .Where(l => !JsonTestSuite.IsBlank(l.line) && !(JsonTestSuite.TryRead(l.line, out var value) && value is Record))
            .Select(l => $"{file}:{l.i + 1} {(JsonTestSuite.TryRead(l.line, out _) ? NotAnObject : Invalid)}"),
    ];

    private const string NotAnObject = "not an object";
    private const string Invalid = "invalid";

    private static string Kind(string reason) =>
        reason == "expected a JSON object on the line" ? NotAnObject
        : reason.StartsWith("invalid JSON: ", StringComparison.Ordinal) || reason.StartsWith("not UTF-8 text", StringComparison.Ordinal) ? Invalid
        : reason;

    /// <summary>The batches through the plan's transforms as the mesh runs them: column form where the transform
    /// takes it, else record by record.</summary>
    private static List<ColumnBatch> Transformed(IEnumerable<ColumnBatch> batches, TransformSpec[] plan)
    {
        var transforms = plan.Select(Create).ToList();
        var output = new List<ColumnBatch>();
        foreach (var batch in batches)
        {
            var current = (Batch: (ColumnBatch?)batch, Records: (List<Record>?)null);
            foreach (var transform in transforms)
            {
                current = current.Batch is { IsRecords: false } b && (transform as IBatchTransform)?.TryApply(b) is { } applied
                    ? (applied.Batch, null)
                    : (null, Apply(transform, current.Records ?? current.Batch!.ToRecords().ToList()));
            }
            output.Add(current.Batch ?? ColumnBatch.FromRecords([.. current.Records!]));
        }
        return output;
    }

    /// <summary>The records <paramref name="transform"/> makes of <paramref name="records"/>; one it refuses (explode
    /// of a line whose "a" is no array) becomes a record naming it, as its dead letter would.</summary>
    private static List<Record> Apply(ITransform transform, List<Record> records)
    {
        var output = new List<Record>();
        foreach (var record in records)
        {
            try
            {
                transform.Apply(record, output);
            }
            catch (RecordException e)
            {
                var letter = new Record(["dead letter"], [e.Message]);
                letter.CopyOriginFrom(record);
                output.Add(letter);
            }
        }
        return output;
    }

    private static ITransform Create(TransformSpec spec) => spec switch
    {
        SelectTransformSpec select => new SelectTransform(select),
        ExplodeTransformSpec explode => new ExplodeTransform(explode),
        _ => throw new ArgumentException(spec.GetType().Name),
    };
}
