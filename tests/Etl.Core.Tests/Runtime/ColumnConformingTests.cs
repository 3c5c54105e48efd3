// The conformer's column path: batches whose values fit pass without copying; anything else takes the record path.
using Etl.Columns;
using Etl.Core.Tests.TestSupport;
using Etl.Records;
using Etl.Runtime;

namespace Etl.Core.Tests.Runtime;

public sealed class ColumnConformingTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Conformer Declared(string schema)
    {
        var run = TestRun.Context(_folder, schema: schema);
        return new Conformer(run.Spec.Spec, run);
    }

    private static ColumnBatch Batch(string[] names, params Column[] columns) =>
        new(names, columns, columns[0].Length, new BatchOrigins("in.csv", [.. Enumerable.Range(2, columns[0].Length).Select(i => (long)i)]));

    private static Column Longs(params long?[] values) => Column.FromValues(ColumnKind.Int64, [.. values.Select(v => (object?)v)]);

    private static Column Decimals(params decimal?[] values) => Column.FromValues(ColumnKind.Decimal, [.. values.Select(v => (object?)v)]);

    private static Column Strings(params string?[] values) => Column.FromValues(ColumnKind.String, values);

    /// <summary>The first batch fixes the schema (record path); the next one is the one under test.</summary>
    private static IReadOnlyList<ColumnBatch> AfterFirst(Conformer conformer, ColumnBatch first, ColumnBatch second)
    {
        conformer.AddBatch(first);
        conformer.FlushBatches();
        return conformer.AddBatch(second);
    }

    private static Column WithSourceType(Column column, string type) => column switch
    {
        TypedColumn<decimal> d => new TypedColumn<decimal>(ColumnKind.Decimal, d.Values, d.Nulls, d.Length) { SourceType = ColumnType.Parse(type) },
        TypedColumn<long> l => new TypedColumn<long>(ColumnKind.Int64, l.Values, l.Nulls, l.Length) { SourceType = ColumnType.Parse(type) },
        _ => throw new ArgumentException(column.GetType().Name),
    };

    [Fact]
    public void FlushBatches_UndeclaredColumnWithASourceType_TakesItWhenTheValuesFit()
    {
        var conformer = Declared("{}");

        conformer.AddBatch(Batch(["price"], WithSourceType(Decimals(1.5m, null), "decimal(10,3)")));
        conformer.FlushBatches();

        Assert.Equal(ColumnType.Parse("decimal(10,3)"), conformer.Schema!.Columns[0].Type);
    }

    [Fact]
    public void FlushBatches_UndeclaredColumnOfNullsWithASourceType_KeepsIt()
    {
        var conformer = Declared("{}");

        conformer.AddBatch(Batch(["n"], WithSourceType(Longs(null, null), "int64")));
        conformer.FlushBatches();

        Assert.Equal(ColumnKind.Int64, conformer.Schema!.Columns[0].Type.Kind);
    }

    [Fact]
    public void FlushBatches_SourceTypeAValueDoesNotFit_IsInferredInstead()
    {
        var conformer = Declared("{}");

        conformer.AddBatch(Batch(["price"], WithSourceType(Decimals(123456.5m), "decimal(4,1)")));
        conformer.FlushBatches();

        Assert.Equal(ColumnType.Parse("decimal(38,1)"), conformer.Schema!.Columns[0].Type);
    }

    [Fact]
    public void AddBatch_ColumnsThatFitTheSchema_PassWithoutACopy()
    {
        var conformer = Declared("""{ "id": "int64 not null", "name": "string" }""");
        var ids = Longs(3, 4);
        var names = Strings("cy", "dee");

        var batch = Assert.Single(AfterFirst(conformer, Batch(["id", "name"], Longs(1), Strings("ada")), Batch(["id", "name"], ids, names)));

        Assert.Same(ids, batch.Columns[0]);
        Assert.Same(names, batch.Columns[1]);
        Assert.Same(conformer.Schema, batch.Schema);
    }

    [Fact]
    public void AddBatch_ColumnsInAnotherOrder_AreMappedToTheSchemasOrder()
    {
        var conformer = Declared("""{ "id": "int64", "name": "string" }""");

        var batch = Assert.Single(AfterFirst(conformer, Batch(["id", "name"], Longs(1), Strings("ada")), Batch(["name", "id"], Strings("bob"), Longs(2))));

        Assert.Equal([[2L, "bob"]], batch.ToRows());
    }

    [Fact]
    public void AddBatch_ColumnTheBatchLacks_IsNull()
    {
        var conformer = Declared("""{ "id": "int64", "name": "string" }""");

        var batch = Assert.Single(AfterFirst(conformer, Batch(["id"], Longs(1)), Batch(["id"], Longs(2))));

        Assert.Equal([[2L, null]], batch.ToRows());
    }

    [Fact]
    public void AddBatch_DecimalsOfAGreaterScale_TakeTheRecordPathAndAreDeadLettered()
    {
        var run = TestRun.Context(_folder, schema: """{ "amount": "decimal(10,2)" }""");
        var conformer = new Conformer(run.Spec.Spec, run);

        var batches = AfterFirst(conformer, Batch(["amount"], Decimals(1.5m)), Batch(["amount"], Decimals(2.25m, 3.125m)));

        Assert.Equal([[2.25m]], batches.SelectMany(b => b.ToRows()));
        Assert.Equal(1, run.Counters.Failed);
    }

    [Fact]
    public async Task AddBatch_NullInANotNullColumn_IsDeadLetteredWithItsOrigin()
    {
        var run = TestRun.Context(_folder, schema: """{ "id": "int64 not null" }""");
        var conformer = new Conformer(run.Spec.Spec, run);

        var batches = AfterFirst(conformer, Batch(["id"], Longs(1)), Batch(["id"], Longs(2, null)));

        Assert.Equal([[2L]], batches.SelectMany(b => b.ToRows()));
        var letter = Assert.Single(await TestRun.DeadLettersAsync(run));
        Assert.Equal("in.csv:3", letter.GetProperty("origin").GetString());
    }

    [Fact]
    public void AddBatch_IntegersIntoADecimalColumn_AreConvertedColumnByColumn()
    {
        var conformer = Declared("""{ "amount": "decimal(10,2)" }""");

        var batch = Assert.Single(AfterFirst(conformer, Batch(["amount"], Longs(1)), Batch(["amount"], Longs(2, null))));

        Assert.Equal([[2m], [null]], batch.ToRows());
        Assert.IsType<TypedColumn<decimal>>(batch.Columns[0]);
    }

    [Fact]
    public async Task AddBatch_TimestampsIntoADateColumn_KeepMidnightAndRefuseATimeOfDay()
    {
        var run = TestRun.Context(_folder, schema: """{ "day": "date" }""");
        var conformer = new Conformer(run.Spec.Spec, run);
        var midnight = new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc);
        Column Times(params DateTime[] values) => Column.FromValues(ColumnKind.Timestamp, [.. values.Select(v => (object?)v)]);

        var batches = AfterFirst(conformer, Batch(["day"], Times(midnight)), Batch(["day"], Times(midnight, midnight.AddHours(10))));

        Assert.Equal([[new DateOnly(2026, 12, 2)]], batches.SelectMany(b => b.ToRows()));
        Assert.Contains("time of day", (await TestRun.DeadLettersAsync(run)).Single().GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
