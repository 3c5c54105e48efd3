// A JSON Lines source told which nested fields select reads (NestedReads) gives explode and select exactly the rows,
// column types, counts and dead letters it gives without the hint.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Sources;
using Etl.Transforms;

namespace Etl.Core.Tests.Transforms;

public sealed class ExplodeSelectReadAheadTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly NestedReads Hint = new(
        new Dictionary<string, string[]> { ["customer"] = ["name", "country"] },
        new Dictionary<string, string[]> { ["items"] = ["sku", "qty", "price"] });

    private static readonly string[] Orders =
    [
        """{"id": 1, "customer": {"name": "Ann", "country": "NO"}, "items": [{"sku": "A", "qty": 1, "price": 2.5}, {"sku": "B", "qty": 2, "price": 3}]}""",
        """{"id": 2, "customer": {"name": "Bob", "country": null}, "items": []}""",
        """{"id": 3, "customer": null, "items": null}""",
        """{"id": 4, "customer": {"country": "SE", "name": "Cy", "name": "Cyd"}, "items": [{"sku": "C"}, null, {"qty": 3, "sku": "D", "extra": {"x": [1, 2]}}]}""",
        """{"id": 5, "customer": {"name": "Dee"}, "items": [{"sku": "E", "qty": 1, "price": 1e3}]}""",
        """{"id": 6, "customer": {"name": "Eve", "tags": ["a", "b"]}}""",
        """{"id": 7, "customer": [1, 2], "items": [[1, 2], "x", 3.5, true, {"sku": "F", "qty": "many", "price": {"p": 1}}]}""",
    ];

    private static readonly SelectTransform OrderSelect = new(new SelectTransformSpec
    {
        Columns = new()
        {
            ["order_id"] = "id",
            ["customer"] = "customer.name",
            ["country"] = "customer.country",
            ["sku"] = "item.sku",
            ["qty"] = "item.qty",
            ["price"] = "item.price",
            ["missing"] = "item.nothing",
        },
    });

    private static ExplodeTransform Explode(bool outer = false) => new(new ExplodeTransformSpec { Path = "items", As = "item", Outer = outer });

    private async Task<BatchCollectingOutput> ReadAsync(IEnumerable<string> lines, NestedReads reads, int copies = 40, int batchRows = 100)
    {
        _folder.WriteBytes("in.jsonl", RecordText.Lines(lines.SelectMany(l => Enumerable.Repeat(l, copies))));
        var run = TestRun.Context(_folder, $$"""{ "type": "jsonl", "path": {{_folder.Json("in.jsonl")}} }""");
        var output = new BatchCollectingOutput { BatchRows = batchRows, NestedReads = reads };
        await new JsonLinesSource((JsonLinesSourceSpec)run.Spec.Spec.Source, run).ReadAsync(output, CancellationToken.None);
        return output;
    }

    /// <summary>Each output batch's columns' classes and kinds (the types the sink sees) and rows, then the counts.</summary>
    private static List<string> Apply(IEnumerable<ColumnBatch> batches, params IBatchTransform[] transforms)
    {
        var (lines, filtered, added) = (new List<string>(), 0, 0);
        foreach (var batch in batches)
        {
            var current = batch;
            foreach (var transform in transforms)
            {
                var result = transform.TryApply(current) ?? throw new InvalidOperationException("left to the record path");
                (current, filtered, added) = (result.Batch, filtered + result.Filtered, added + result.Added);
            }
            lines.Add(string.Join(",", current.Columns.Select(c => $"{c.GetType().Name}:{c.Kind}")));
            lines.AddRange(current.ToRecords().Select(RecordText.Of));
        }
        lines.Add($"filtered {filtered}, added {added}");
        return lines;
    }

    private async Task AssertSameWithHintAsync(IReadOnlyList<string> lines, int copies, int batchRows, params IBatchTransform[] transforms)
    {
        var plain = await ReadAsync(lines, NestedReads.None, copies, batchRows);
        var hinted = await ReadAsync(lines, Hint, copies, batchRows);

        Assert.Equal(Apply(plain.Batches, transforms), Apply(hinted.Batches, transforms));
    }

    [Fact]
    public async Task ExplodeThenSelect_WithReadAhead_GivesTheSameRowsTypesAndCounts()
    {
        await AssertSameWithHintAsync(Orders, copies: 40, batchRows: 100, Explode(), OrderSelect);
    }

    [Fact]
    public async Task ExplodeOuterThenSelect_WithReadAhead_GivesTheSameRowsTypesAndCounts()
    {
        await AssertSameWithHintAsync(Orders, copies: 40, batchRows: 100, Explode(outer: true), OrderSelect);
    }

    [Fact]
    public async Task SelectOfObjectFields_WithReadAhead_GivesTheSameRowsAndTypes()
    {
        await AssertSameWithHintAsync(Orders, copies: 40, batchRows: 100, OrderSelect);
    }

    [Fact]
    public async Task Source_WithReadAhead_CarriesTheFieldsOnItsNestedColumns()
    {
        var batches = (await ReadAsync(Orders.Take(2), Hint)).Batches;

        Assert.All(batches, b => Assert.NotNull(Assert.IsType<JsonTextColumn>(b.Columns[b.IndexOf("customer")]).Fields));
        Assert.All(batches, b => Assert.NotNull(Assert.IsType<JsonTextColumn>(b.Columns[b.IndexOf("items")]).Arrays?.Fields));
    }

    [Fact]
    public async Task ExplodeThenSelect_TypesThatDriftBetweenBatches_AreTypedBatchByBatchAsWithoutTheHint()
    {
        string[] lines =
        [
            """{"id": 1, "customer": {"name": "Ann"}, "items": [{"sku": "A", "qty": 1, "price": 2}]}""",
            """{"id": 2, "customer": {"name": 7}, "items": [{"sku": 5, "qty": 1.5, "price": "x"}]}""",
            """{"id": 3, "customer": {"name": true}, "items": [{"sku": null, "qty": 12345678901234567890, "price": [1]}]}""",
        ];

        await AssertSameWithHintAsync(lines, copies: 50, batchRows: 40, Explode(), OrderSelect);
    }

    [Fact]
    public async Task ExplodeThenSelect_ParentWithoutElementsDropped_TypesTheRestAsWithoutTheHint()
    {
        // The number names are only on rows that explode drops: the kept rows' names are strings either way.
        string[] lines =
        [
            """{"id": 1, "customer": {"name": "Ann"}, "items": [{"sku": "A"}]}""",
            """{"id": 2, "customer": {"name": 2}, "items": []}""",
        ];

        await AssertSameWithHintAsync(lines, copies: 40, batchRows: 100, Explode(), OrderSelect);
    }

    [Fact]
    public async Task ExplodeThenSelect_SlicedBatches_GiveTheSameRowsAsWithoutTheHint()
    {
        var plain = (await ReadAsync(Orders, NestedReads.None)).Batches.SelectMany(Halves).ToList();
        var hinted = (await ReadAsync(Orders, Hint)).Batches.SelectMany(Halves).ToList();

        Assert.Equal(Apply(plain, Explode(outer: true), OrderSelect), Apply(hinted, Explode(outer: true), OrderSelect));
    }

    [Fact]
    public async Task ExplodeThenSelect_ExplodedBatchesSliced_GiveTheSameRowsAsWithoutTheHint()
    {
        var plain = (await ReadAsync(Orders, NestedReads.None)).Batches;
        var hinted = (await ReadAsync(Orders, Hint)).Batches;

        Assert.Equal(ExplodeSliceSelect(plain), ExplodeSliceSelect(hinted));
    }

    private static List<string> ExplodeSliceSelect(IEnumerable<ColumnBatch> batches) =>
        Apply(batches.SelectMany(b => Halves(Explode(outer: true).TryApply(b)!.Value.Batch)), OrderSelect);

    private static ColumnBatch[] Halves(ColumnBatch b) => [b.Slice(0, 7), b.Slice(7, b.RowCount - 7)];

    [Fact]
    public async Task ExplodeThenSelect_ValuesThatDoNotConvert_AreReadFromTheTextAsWithoutTheHint()
    {
        // A number beyond a double in an element, among elements that convert.
        string[] lines =
        [
            """{"id": 1, "customer": {"name": "Ann"}, "items": [{"sku": "A", "qty": 1, "price": 2}]}""",
            """{"id": 2, "customer": {"name": "Bo"}, "items": [{"sku": "B", "qty": 1, "price": 1e999}]}""",
        ];
        var plain = await ReadAsync(lines, NestedReads.None);
        var hinted = await ReadAsync(lines, Hint);

        Assert.Equal(Outcome(plain.Batches), Outcome(hinted.Batches));
    }

    private static string Outcome(IEnumerable<ColumnBatch> batches)
    {
        try
        {
            return string.Join("\n", Apply(batches, Explode(), OrderSelect));
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    [Fact]
    public async Task Source_UndecodableTextInANestedField_RejectsTheSameLinesWithAndWithoutTheHint()
    {
        string[] lines =
        [
            """{"id": 1, "customer": {"name": "Ann"}, "items": [{"sku": "A", "qty": 1}]}""",
            """{"id": 2, "customer": {"name": "\udfaa"}, "items": [{"sku": "B", "qty": 1}]}""",
            """{"id": 3, "customer": {"name": "C"}, "items": [{"sku": "\ud800x", "qty": 1}]}""",
        ];
        await AssertRejectsTheSameLinesAsWithoutTheHint(lines, Hint);
    }

    /// <summary>Two copies of <paramref name="lines"/>, whose last two lines are undecodable, read with and without the
    /// hint: the same rejections and the same records.</summary>
    private async Task AssertRejectsTheSameLinesAsWithoutTheHint(string[] lines, NestedReads hint)
    {
        var plain = await ReadAsync(lines, NestedReads.None, copies: 2);
        var hinted = await ReadAsync(lines, hint, copies: 2);

        Assert.Equal(4, hinted.Rejections.Count);
        Assert.Equal(plain.Rejections, hinted.Rejections);
        Assert.Equal(plain.Records.Select(RecordText.Of), hinted.Records.Select(RecordText.Of));
    }

    private static readonly NestedReads HintDroppingTheRest = Hint with { TopLevel = new HashSet<string> { "id", "customer", "items", "item" } };

    private static readonly string[] OrdersWithDroppedFields =
    [
        """{"id": 1, "note": "plain", "status": "paid", "customer": {"name": "Ann"}, "items": [{"sku": "A", "qty": 1}]}""",
        """{"id": 2, "note": "two\nlines \"quoted\" \u00e9t\u00E9 \ud83d\ude00", "status": "paid", "customer": {"name": "Bo"}, "items": [{"sku": "B"}]}""",
        """{"id": 3, "note": null, "status": 7, "customer": {"name": "Cy"}, "items": []}""",
        """{"id": 4, "note": "", "status": true, "customer": {"name": "Di"}, "items": [{"sku": "D"}]}""",
    ];

    [Fact]
    public async Task Source_StringsOfFieldsTheTransformsDoNotRead_GiveTheSameRecordsAsWithoutTheHint()
    {
        var plain = await ReadAsync(OrdersWithDroppedFields, NestedReads.None);
        var hinted = await ReadAsync(OrdersWithDroppedFields, HintDroppingTheRest);

        Assert.Equal(plain.Records.Select(RecordText.Of), hinted.Records.Select(RecordText.Of));
    }

    [Fact]
    public async Task ExplodeThenSelect_FieldsTheSelectDrops_GiveTheSameRowsTypesAndCountsAsWithoutTheHint()
    {
        var plain = await ReadAsync(OrdersWithDroppedFields, NestedReads.None);
        var hinted = await ReadAsync(OrdersWithDroppedFields, HintDroppingTheRest);

        Assert.Equal(Apply(plain.Batches, Explode(), OrderSelect), Apply(hinted.Batches, Explode(), OrderSelect));
    }

    [Fact]
    public async Task ExplodeCarryingOnlyWhatTheSelectReads_ThenSelect_GivesTheSameRowsTypesAndCounts()
    {
        var batches = (await ReadAsync(OrdersWithDroppedFields, HintDroppingTheRest)).Batches;
        var carrying = Explode(outer: true).CarryingOnly(HintDroppingTheRest.TopLevel!);

        Assert.Equal(Apply(batches, Explode(outer: true), OrderSelect), Apply(batches, carrying, OrderSelect));
    }

    [Fact]
    public async Task ExplodeCarryingOnly_LeavesOutTheColumnsNotNamed()
    {
        var batch = (await ReadAsync(OrdersWithDroppedFields, NestedReads.None)).Batches[0];

        var exploded = Explode().CarryingOnly(new HashSet<string> { "id", "items" }).TryApply(batch)!.Value.Batch;

        Assert.Equal(["id", "item"], exploded.Names);
    }

    [Fact]
    public async Task Source_UndecodableEscapeInAFieldTheTransformsDoNotRead_RejectsTheLineAsWithoutTheHint()
    {
        string[] lines =
        [
            """{"id": 1, "note": "ok", "customer": {"name": "Ann"}, "items": [{"sku": "A"}]}""",
            """{"id": 2, "note": "lone \udfaa", "customer": {"name": "Bo"}, "items": [{"sku": "B"}]}""",
            """{"id": 3, "note": "\ud800x", "customer": {"name": "Cy"}, "items": [{"sku": "C"}]}""",
        ];
        await AssertRejectsTheSameLinesAsWithoutTheHint(lines, HintDroppingTheRest);
    }

    [Fact]
    public async Task ExplodeThenSelect_RandomNestedLines_GiveTheSameRowsTypesAndCountsAsWithoutTheHint()
    {
        const int Seed = 20261203;
        var random = new Random(Seed);
        var lines = Enumerable.Range(0, 400).Select(i => RandomOrder(random, i)).ToList();

        await AssertSameWithHintAsync(lines, copies: 1, batchRows: 80, Explode(outer: random.Next(2) == 0), OrderSelect);
    }

    private static string RandomOrder(Random random, int id)
    {
        var json = new RandomOrderJson(random);
        var items = json.Items();
        var customer = random.Next(6) switch
        {
            0 => "null",
            1 => "[1]",
            _ => $$"""{"name": {{json.Scalar()}}, "country": {{json.Scalar()}}, "name": {{json.Scalar()}}}""",
        };
        return $$"""{"id": {{id}}, "customer": {{customer}}, "items": {{items}}}""";
    }
}
